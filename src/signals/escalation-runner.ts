import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { NotificationIntent, NotificationOutbox } from "../notifications/notification.js";
import type { OncallDirectory } from "../oncall/directory.js";
import { evaluateEscalation } from "../oncall/escalation.js";
import type { PageService } from "./page.service.js";
import { pageMessage } from "./page-messages.js";
import type { SignalsStore, StoredPage } from "./signals.store.js";

export interface EscalationRunnerDeps {
  readonly db: Kysely<Database>;
  readonly store: SignalsStore;
  readonly outbox: NotificationOutbox;
  readonly directory: OncallDirectory;
  readonly pages: PageService;
  readonly now: () => number;
  readonly log: FastifyBaseLogger;
}

/**
 * The leader's escalation loop: for every triggered page whose next step is due, run its policy
 * (`evaluateEscalation`) against the notifications already sent, and queue the due ones for the
 * people on call with signed acknowledge/resolve links; the sent keys, the intents and the next
 * due time commit together, so a crash neither skips nor repeats a step.
 */
export class EscalationRunner {
  constructor(private readonly deps: EscalationRunnerDeps) {}

  async run(): Promise<{ pages: number; notifications: number }> {
    const now = this.deps.now();
    const due = await this.deps.store.pagesDueForEscalation(now);
    let notifications = 0;
    for (const page of due) {
      try {
        notifications += await this.escalate(page, now);
      } catch (err) {
        this.deps.log.error({ err, pageId: page.id }, "escalation of a page failed");
      }
    }
    return { pages: due.length, notifications };
  }

  private async escalate(page: StoredPage, now: number): Promise<number> {
    const { directory, store, db, log } = this.deps;
    const policy =
      page.escalationPolicyId === null
        ? undefined
        : await directory.escalationPolicy(page.escalationPolicyId);
    const stop = async () => {
      await db.updateTable("pages").set({ escalation_next_at: null }).where("id", "=", page.id).execute();
    };
    if (policy === undefined) {
      log.warn(
        { pageId: page.id, policy: page.escalationPolicyId },
        "escalation policy not found: the page only reaches its route's receiver",
      );
      await stop();
      return 0;
    }
    const scheduleIds = policy.steps.flatMap((s) => (s.kind === "notify-schedule" ? [s.scheduleId] : []));
    const schedules = await directory.schedules(scheduleIds);
    const sent = new Set((await store.sentKeys(page.id)).map((s) => s.key));
    let state: ReturnType<typeof evaluateEscalation>;
    try {
      state = evaluateEscalation(
        policy,
        { id: String(page.id), createdAt: page.createdAt },
        schedules,
        now,
        sent,
      );
    } catch (err) {
      log.error({ err, pageId: page.id, policy: policy.id }, "escalation policy cannot run");
      await stop();
      return 0;
    }
    return db.transaction().execute(async (trx) => {
      const current = await store.page(page.id, trx);
      if (current === undefined || current.status !== "triggered") return 0;
      const intents: NotificationIntent[] = [];
      for (const n of state.due) {
        const inserted = await trx
          .insertInto("page_escalation_sent")
          .values({ page_id: page.id, key: n.key, person_id: n.personId, sent_at: now })
          .onConflict((oc) => oc.columns(["page_id", "key"]).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
        if (n.personId === null) {
          log.warn({ pageId: page.id, step: n.step }, "escalation step found nobody on call");
          continue;
        }
        intents.push({
          target: { type: "person", personId: n.personId },
          dedupKey: `page:${page.id}:escalation:${n.key}`,
          message: pageMessage(
            current,
            sent.size === 0 && n.attempt === 0 ? "trigger" : "escalate",
            this.deps.pages.links(page.id, n.personId),
          ),
        });
      }
      if (intents.length > 0) await this.deps.outbox.enqueue(trx, intents);
      await trx
        .updateTable("pages")
        .set({ escalation_next_at: state.nextAt })
        .where("id", "=", page.id)
        .execute();
      return intents.length;
    });
  }
}
