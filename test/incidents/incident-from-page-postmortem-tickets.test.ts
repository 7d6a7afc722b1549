import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, postgresAvailable } from "../support/databases.js";
import { createTestApp, type TestApp } from "../support/test-app.js";
import { api, type Caller, caller, HOUR } from "./api-helpers.js";

const ONCALL = {
  people: [{ id: "ana", name: "Ana Alves" }],
  teams: [{ id: "web", name: "Web", members: ["ana"], scheduleIds: [] }],
  services: [{ name: "checkout", teamId: "web" }],
};

interface TicketRow {
  id: string;
  team: string | null;
  service: string;
  title: string;
  status: string;
  priority: string;
  fingerprint: string | null;
  signalCount: number;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === "postgres" && !postgresAvailable())(
    `overdue postmortems as tickets on ${dialect}`,
    () => {
      let t: TestApp;
      let call: ReturnType<typeof api>;
      let alice: Caller;
      let bob: Caller;
      const run = () => t.domains.incidentLinks.postmortemTickets.run();
      const tickets = async (): Promise<TicketRow[]> =>
        (await call("GET", "/api/v1/tickets?limit=100", alice)).body;

      /** A resolved SEV1 incident (its postmortem is required by the severity rule), made overdue. */
      const overdueIncident = async (title: string, service: string): Promise<string> => {
        const declared = await call("POST", "/api/v1/incidents", alice, {
          title,
          severity: "SEV1",
          services: [service],
        });
        expect(declared.status).toBe(201);
        const resolved = await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
        expect(resolved.body.postmortemRequirement.required).toBe(true);
        await t.database.handle.db
          .updateTable("incidents")
          .set({ postmortem_due_at: Date.now() - HOUR })
          .where("title", "=", title)
          .execute();
        return declared.body.id as string;
      };

      beforeAll(async () => {
        t = await createTestApp({ incidents: { detectorEnabled: false } }, dialect);
        call = api(t);
        alice = await caller(t, "alice", "write");
        bob = await caller(t, "bob", "read");
        const applied = await call("PUT", "/api/v1/oncall/config", alice, ONCALL);
        expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      });
      afterAll(() => t.close());

      it("opens nothing while no required postmortem is past due", async () => {
        const declared = await call("POST", "/api/v1/incidents", alice, {
          title: "Checkout slow",
          severity: "SEV1",
          services: ["checkout"],
        });
        await call("POST", `/api/v1/incidents/${declared.body.id}/resolve`, alice, {});
        expect(await run()).toEqual({ opened: [], closed: [] });
        expect(await tickets()).toEqual([]);
      });

      it("opens one ticket per overdue postmortem in the owning team's queue, never a second", async () => {
        const id = await overdueIncident("Checkout 5xx after config push", "checkout");
        const first = await run();
        expect(first.opened.map((o) => o.incidentId)).toEqual([id]);
        const [ticket, ...others] = await tickets();
        expect(others).toEqual([]);
        expect(ticket).toMatchObject({
          team: "web",
          service: "checkout",
          title: `Postmortem overdue: Checkout 5xx after config push (${id})`,
          status: "open",
          priority: "p2",
          fingerprint: `postmortem-overdue:${id}`,
          signalCount: 1,
        });
        const detail = (await call("GET", `/api/v1/tickets/${ticket?.id}`, alice)).body;
        expect(detail.description).toContain(`The postmortem of incident ${id} was due`);
        expect(detail.description).toContain("severity");
        // Later runs leave it alone: no new ticket, no repeat linked to it.
        expect(await run()).toEqual({ opened: [], closed: [] });
        expect(await run()).toEqual({ opened: [], closed: [] });
        expect((await tickets()).map((x) => [x.id, x.signalCount])).toEqual([[ticket?.id, 1]]);
        // The incident's timeline says so.
        const timeline = (await call("GET", `/api/v1/incidents/${id}`)).body.timeline as { text: string }[];
        expect(timeline.map((e) => e.text)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              new RegExp(`^Postmortem overdue since .*: ticket #${ticket?.id} opened for team web$`),
            ),
          ]),
        );
      });

      it("closes the ticket once the postmortem is published", async () => {
        const [ticket] = await tickets();
        const incidentId = (ticket?.fingerprint ?? "").replace("postmortem-overdue:", "");
        const pm = await call("POST", `/api/v1/incidents/${incidentId}/postmortem`, alice, {});
        expect(pm.status).toBe(201);
        await call("POST", `/api/v1/postmortems/${pm.body.id}/submit`, alice, { reviewers: ["bob"] });
        await call("POST", `/api/v1/postmortems/${pm.body.id}/reviews`, bob, { decision: "approve" });
        // Still unpublished: the ticket stays open.
        expect(await run()).toEqual({ opened: [], closed: [] });
        const published = await call("POST", `/api/v1/postmortems/${pm.body.id}/publish`, alice);
        expect(published.body.status).toBe("published");
        expect(await run()).toEqual({ opened: [], closed: [ticket?.id] });
        const detail = (await call("GET", `/api/v1/tickets/${ticket?.id}`, alice)).body;
        expect(detail.status).toBe("done");
        expect(detail.comments.map((c: { body: string }) => c.body)).toContain(
          "The postmortem is published.",
        );
      });

      it("respects a ticket closed by hand, and opens one without a team for a service nobody owns", async () => {
        const id = await overdueIncident("Ledger lost writes", "ledger");
        const [opened] = (await run()).opened;
        expect(opened?.incidentId).toBe(id);
        const closed = await call("PATCH", `/api/v1/tickets/${opened?.ticketId}`, alice, {
          status: "wont-do",
        });
        expect(closed.status).toBe(200);
        expect(await run()).toEqual({ opened: [], closed: [] });
        const ledger = (await tickets()).filter((x) => x.service === "ledger");
        expect(ledger.map((x) => [x.team, x.status])).toEqual([[null, "wont-do"]]);
      });
    },
  );
}
