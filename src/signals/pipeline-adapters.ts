import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { LogAppend } from "./event-log.store.js";
import type { EventLogSink, SignalTicket, TicketSink } from "./pipeline.js";
import type { TicketFromSignal } from "./tickets.store.js";

const PRIORITY = { high: "p2", normal: "p3", low: "p4" } as const;

/** The pipeline's ticket sink over the ticket queue (`ticketStore(db).openFromSignal`). */
export function ticketSinkOver(queue: {
  openFromSignal(trx: Kysely<Database>, input: TicketFromSignal, now?: number): Promise<string>;
}): TicketSink {
  return {
    openFromSignal: (trx, t: SignalTicket) =>
      queue.openFromSignal(
        trx,
        {
          fingerprint: t.fingerprint,
          ...(t.team === null ? {} : { team: t.team }),
          service: t.service,
          title: t.title,
          ...(t.description === "" ? {} : { description: t.description }),
          priority: PRIORITY[t.priority],
          dueAt: t.dueAt,
          rule: t.rule.name,
        },
        t.openedAt,
      ),
  };
}

/** The pipeline's log sink over the event log (`eventLogStore(db).append`). */
export function eventLogSinkOver(log: {
  append(trx: Kysely<Database>, input: LogAppend): Promise<void>;
}): EventLogSink {
  return {
    append: (trx, e) =>
      log.append(trx, {
        at: e.at,
        source: e.source,
        service: e.service,
        title: e.title,
        text: e.resolved ? `resolved: ${e.description}` : e.description,
        labels: { ...e.labels, severity: e.severity, ...(e.team === null ? {} : { team: e.team }) },
        fingerprint: e.fingerprint,
        rule: e.rule.name,
      }),
  };
}
