import type { SignalsStore, StoredPage, StoredSignal, StoredSignalEvent } from "../signals/signals.store.js";
import type { IncidentSignalSource, PageSummary, TimelineEntryInput } from "./incident-signal-source.js";
import { mergeTimelines } from "./timeline.js";

/** "42", "#42" or "page-42" → 42; undefined for anything else (e.g. another system's page id). */
export function parsePageId(id: string): number | undefined {
  const m = /^(?:#|page-)?([1-9][0-9]{0,14})$/i.exec(id.trim());
  return m ? Number(m[1]) : undefined;
}

export function pageSummary(p: StoredPage): PageSummary {
  return {
    id: String(p.id),
    at: p.createdAt,
    service: p.service,
    title: p.title,
    severity: p.severity,
    ...(p.team === null ? {} : { team: p.team }),
    status: p.status,
    rule: p.route.name,
    ...(p.ackedAt === null || p.ackedBy === null ? {} : { acknowledged: { at: p.ackedAt, by: p.ackedBy } }),
  };
}

const inRange = (at: number | null, from: number, to: number): at is number =>
  at !== null && at >= from && at <= to;

/** A page's trigger, acknowledgement and resolution inside `[from, to]`. */
export function pageTimeline(p: StoredPage, from: number, to: number): TimelineEntryInput[] {
  const out: TimelineEntryInput[] = [];
  const who = p.team === null ? "" : `, team ${p.team}`;
  if (inRange(p.createdAt, from, to)) {
    out.push({
      at: p.createdAt,
      kind: "alert",
      text: `Page #${p.id} triggered: ${p.title} (${p.service}, ${p.severity}; rule ${p.route.name}${who})`,
      ref: `page:${p.id}:trigger`,
    });
  }
  // Resolving an unacknowledged page records the resolver as acknowledging at the same instant.
  const ackIsResolve = p.ackedAt !== null && p.ackedAt === p.resolvedAt && p.ackedBy === p.resolvedBy;
  if (inRange(p.ackedAt, from, to) && !ackIsResolve) {
    out.push({
      at: p.ackedAt,
      kind: "acknowledgement",
      text: `Page #${p.id} acknowledged by ${p.ackedBy ?? "someone"}`,
      ...(p.ackedBy === null ? {} : { actor: p.ackedBy }),
      ref: `page:${p.id}:ack`,
    });
  }
  if (inRange(p.resolvedAt, from, to)) {
    out.push({
      at: p.resolvedAt,
      kind: "alert",
      text: `Page #${p.id} resolved by ${p.resolvedBy ?? "someone"}`,
      ...(p.resolvedBy === null ? {} : { actor: p.resolvedBy }),
      ref: `page:${p.id}:resolve`,
    });
  }
  return out;
}

function classificationText(e: StoredSignalEvent): string {
  const muted = e.muted === null ? "" : `, held back (${e.muted.reason} by ${e.muted.by})`;
  return `${e.outcome} by rule ${e.rule.name}${muted}`;
}

/**
 * A signal's receipts inside the range as timeline lines: the first receipt, then only receipts
 * that change something (classification, deciding rule, hold-back, severity, an end), so a source
 * that repeats a firing alert every minute adds one line, not hundreds; plus its resolution.
 */
export function signalTimeline(
  signal: StoredSignal,
  receipts: readonly StoredSignalEvent[],
  from: number,
  to: number,
): TimelineEntryInput[] {
  const out: TimelineEntryInput[] = [];
  let previous: string | undefined;
  let repeats = 0;
  const noteRepeats = () => {
    const last = out[out.length - 1];
    if (repeats > 0 && last !== undefined) {
      out[out.length - 1] = { ...last, text: `${last.text} (repeated ${repeats}×)` };
    }
    repeats = 0;
  };
  for (const e of receipts) {
    const ended = e.endsAt !== null && e.endsAt <= e.receivedAt;
    const key = `${e.outcome}|${e.rule.path}|${e.muted?.reason ?? ""}|${e.severity}|${ended}`;
    if (key === previous) {
      repeats += 1;
      continue;
    }
    noteRepeats();
    previous = key;
    const what = ended ? "Signal ended" : "Signal received";
    out.push({
      at: e.receivedAt,
      kind: "signal",
      text: `${what}: ${signal.title} (${signal.source}, ${signal.service}, ${e.severity}) → ${classificationText(e)}`,
      ref: `signal-event:${e.id}`,
    });
  }
  noteRepeats();
  if (signal.status === "resolved" && inRange(signal.resolvedAt, from, to)) {
    const endReceipt = receipts.some((e) => e.endsAt !== null && e.endsAt <= e.receivedAt);
    if (!endReceipt) {
      out.push({
        at: signal.resolvedAt,
        kind: "signal",
        text: `Signal resolved: ${signal.title} (${signal.service}; no resolve was sent, quiet period elapsed)`,
        ref: `signal:${signal.fingerprint}:resolved:${signal.resolvedAt}`,
      });
    }
  }
  return out;
}

/**
 * The incidents domain's view of signals and pages, read from the signals store: related
 * timeline lines (signal receipts and their classification, page triggers, acknowledgements and
 * resolutions), pages per service for the "found without paging" detector, and a page's details
 * for declare-from-page.
 */
export function pagesSignalSource(store: SignalsStore): IncidentSignalSource {
  return {
    async related(services, from, to) {
      if (services.length === 0 || to < from) return [];
      const [pages, received] = await Promise.all([
        store.pagesTouching(services, from, to),
        store.receivedBetween(services, from, to),
      ]);
      const signals = received
        .flatMap((r) => signalTimeline(r.signal, r.receipts, from, to))
        .sort((a, b) => a.at - b.at);
      return mergeTimelines(
        signals,
        pages.flatMap((p) => pageTimeline(p, from, to)),
      );
    },

    async pagesFor(service, from, to) {
      return store.countPagesOpenBetween(service, from, to);
    },

    async page(id) {
      const n = parsePageId(id);
      if (n === undefined) return undefined;
      const p = await store.page(n);
      return p === undefined ? undefined : pageSummary(p);
    },
  };
}
