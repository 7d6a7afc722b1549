import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { ExternalAlertEvent } from "./external-alert-event.js";

export interface StoredExternalAlert extends ExternalAlertEvent {
  readonly id: number;
  readonly receivedAt: number;
}

/** Alerts received from Alertmanager: appended as received, read back as the latest state per fingerprint. */
export function externalAlertsStore(db: Kysely<Database>) {
  return {
    async record(events: readonly ExternalAlertEvent[], now = Date.now()): Promise<void> {
      if (events.length === 0) return;
      await db
        .insertInto("external_alert_events")
        .values(
          events.map((e) => ({
            source: e.source,
            fingerprint: e.fingerprint,
            state: e.state,
            labels: JSON.stringify(e.labels),
            annotations: JSON.stringify(e.annotations),
            starts_at: e.startsAt,
            ends_at: e.endsAt ?? null,
            receiver: e.receiver,
            group_key: e.groupKey,
            received_at: now,
          })),
        )
        .execute();
    },

    /** The latest received state of each alert, newest first. */
    async current(
      filter: { state?: "firing" | "resolved"; limit?: number } = {},
    ): Promise<StoredExternalAlert[]> {
      const latest = db
        .selectFrom("external_alert_events")
        .select((eb) => ["fingerprint", eb.fn.max("id").as("id")])
        .groupBy("fingerprint");
      let query = db
        .selectFrom("external_alert_events as e")
        .innerJoin(latest.as("l"), "l.id", "e.id")
        .selectAll("e");
      if (filter.state) query = query.where("e.state", "=", filter.state);
      const rows = await query
        .orderBy("e.id", "desc")
        .limit(filter.limit ?? 500)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        source: "alertmanager" as const,
        fingerprint: r.fingerprint,
        state: r.state as "firing" | "resolved",
        labels: JSON.parse(r.labels) as Record<string, string>,
        annotations: JSON.parse(r.annotations) as Record<string, string>,
        startsAt: r.starts_at,
        ...(r.ends_at ? { endsAt: r.ends_at } : {}),
        receiver: r.receiver,
        groupKey: r.group_key,
        receivedAt: r.received_at,
      }));
    },
  };
}

export type ExternalAlertsStore = ReturnType<typeof externalAlertsStore>;
