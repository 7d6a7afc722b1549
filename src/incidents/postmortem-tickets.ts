import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { OncallDirectory } from "../oncall/directory.js";
import type { TicketStore } from "../signals/tickets.store.js";
import { type IncidentStore, parseIncidentId } from "./incident.store.js";
import type { PostmortemStore } from "./postmortem.store.js";
import type { PostmortemService } from "./postmortem-service.js";
import { DETECTOR_ACTOR } from "./unpaged-burn-task.js";

/** Fingerprint of the ticket raised for an incident's overdue postmortem (one per incident, ever). */
export function overduePostmortemFingerprint(incidentId: string): string {
  return `postmortem-overdue:${incidentId}`;
}

const PREFIX = "postmortem-overdue:";

export interface PostmortemTicketsDeps {
  readonly db: Kysely<Database>;
  readonly tickets: TicketStore;
  readonly postmortems: PostmortemService;
  readonly postmortemStore: PostmortemStore;
  readonly incidents: IncidentStore;
  readonly directory: OncallDirectory;
  readonly log: FastifyBaseLogger;
  readonly now?: () => number;
}

export interface PostmortemTicketsRun {
  /** Tickets opened in this run. */
  readonly opened: ReadonlyArray<{ readonly incidentId: string; readonly ticketId: string }>;
  /** Tickets closed because their postmortem was published meanwhile. */
  readonly closed: readonly string[];
}

/**
 * Overdue postmortems become tickets (leader, periodically): a required postmortem not
 * published by its due date opens one ticket in the owning team's queue (the team that owns the
 * incident's first service in the on-call directory), fingerprint `postmortem-overdue:inc-N`.
 * A fingerprint that ever had a ticket gets no second one, so closing the ticket by hand is
 * respected; the ticket is closed as done when the postmortem is published.
 */
export function postmortemTickets(deps: PostmortemTicketsDeps) {
  const now = deps.now ?? Date.now;

  const teamOf = async (service: string): Promise<string | undefined> => {
    try {
      return (await deps.directory.teamForService(service))?.id;
    } catch (err) {
      deps.log.warn({ err, service }, "on-call directory lookup failed; ticket opened without a team");
      return undefined;
    }
  };

  return {
    async run(): Promise<PostmortemTicketsRun> {
      const at = now();
      const opened: Array<{ incidentId: string; ticketId: string }> = [];
      for (const o of await deps.postmortems.overdue()) {
        const fingerprint = overduePostmortemFingerprint(o.incidentId);
        if ((await deps.tickets.lastForFingerprint(fingerprint)) !== undefined) continue;
        const n = parseIncidentId(o.incidentId);
        const stored = n === undefined ? undefined : await deps.incidents.get(n);
        if (stored === undefined || n === undefined) continue;
        const service = stored.incident.services[0] ?? "unknown";
        const team = await teamOf(service);
        const due = new Date(o.dueAt).toISOString();
        const pm = o.postmortem
          ? `postmortem ${o.postmortem.id} is ${o.postmortem.status}`
          : "no postmortem started";
        const ticketId = await deps.db.transaction().execute((trx) =>
          deps.tickets.openFromSignal(
            trx,
            {
              fingerprint,
              ...(team === undefined ? {} : { team }),
              service,
              title: `Postmortem overdue: ${o.title} (${o.incidentId})`,
              description: [
                `The postmortem of incident ${o.incidentId} was due ${due} and is not published (${pm}).`,
                `Required by: ${o.triggers.map((t) => `${t.ruleId} (${t.reason})`).join("; ")}.`,
                `Incident: /incidents/${o.incidentId}`,
              ].join("\n"),
              priority: "p2",
              rule: "postmortem-overdue",
            },
            at,
          ),
        );
        await deps.incidents.addTimeline(
          n,
          {
            at: Math.max(at, stored.updatedAt),
            kind: "note",
            text: `Postmortem overdue since ${due}: ticket #${ticketId} opened${team ? ` for team ${team}` : ""}`,
            actor: DETECTOR_ACTOR,
          },
          at,
        );
        opened.push({ incidentId: o.incidentId, ticketId });
        deps.log.warn({ incident: o.incidentId, ticket: ticketId }, "overdue postmortem raised as a ticket");
      }

      const closed: string[] = [];
      const active = (await deps.tickets.list({ status: "active", limit: 1000 }, at)).filter((t) =>
        t.fingerprint?.startsWith(PREFIX),
      );
      if (active.length > 0) {
        const published = await deps.postmortemStore.publishedAtByIncident();
        for (const t of active) {
          const n = parseIncidentId((t.fingerprint ?? "").slice(PREFIX.length));
          if (n === undefined || !published.has(n)) continue;
          await deps.tickets.comment(t.id, DETECTOR_ACTOR, "The postmortem is published.", at);
          await deps.tickets.update(t.id, { status: "done" }, DETECTOR_ACTOR, at);
          closed.push(t.id);
        }
      }
      return { opened, closed };
    },
  };
}

export type PostmortemTickets = ReturnType<typeof postmortemTickets>;
