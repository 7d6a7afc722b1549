import { assertUtcMs } from "./assert-utc-ms.js";
import type { Incident } from "./incident.js";

export type TimelineEventKind =
  | "detection"
  | "signal"
  | "alert"
  | "acknowledgement"
  | "rollout"
  | "rollback"
  | "intervention"
  | "role"
  | "status"
  | "note";

/** One line of an incident timeline; `at` is UTC ms. */
export interface TimelineEvent {
  readonly at: number;
  readonly kind: TimelineEventKind;
  readonly text: string;
  readonly actor?: string;
  /** Id of the source record (alert, rollout, signal...), used to drop duplicates when merging. */
  readonly ref?: string;
}

export interface AlertTransition {
  readonly alertId: string;
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly sloId?: string;
}

export interface Acknowledgement {
  readonly alertId: string;
  readonly at: number;
  readonly by: string;
}

export interface RolloutEvent {
  readonly id: string;
  readonly at: number;
  readonly service: string;
  readonly version: string;
  readonly action: "started" | "paused" | "completed" | "rolled-back";
  readonly by?: string;
}

export interface SignalEvent {
  readonly id: string;
  readonly at: number;
  readonly text: string;
}

export interface ManualNote {
  readonly at: number;
  readonly by: string;
  readonly text: string;
}

/** The sources a timeline is built from; each is optional. */
export interface TimelineSources {
  readonly incident?: Incident;
  readonly signals?: readonly SignalEvent[];
  readonly alerts?: readonly AlertTransition[];
  readonly acknowledgements?: readonly Acknowledgement[];
  readonly rollouts?: readonly RolloutEvent[];
  readonly notes?: readonly ManualNote[];
}

function withActor(event: Omit<TimelineEvent, "actor">, actor: string | undefined): TimelineEvent {
  return actor === undefined ? event : { ...event, actor };
}

/** Detection, status changes, role assignments and interventions recorded on the incident. */
export function incidentEvents(incident: Incident): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const d = incident.detection;
  events.push({ at: d.at, kind: "detection", text: `Detected by ${d.source}${d.ref ? ` (${d.ref})` : ""}` });
  for (const s of incident.statusHistory) {
    const text = s.from === null ? `Incident declared (${incident.severity})` : `Status ${s.from} → ${s.to}`;
    events.push({ at: s.at, kind: "status", text: s.note ? `${text}: ${s.note}` : text, actor: s.by });
  }
  for (const r of incident.roles) {
    events.push({ at: r.assignedAt, kind: "role", text: `${r.person} is ${r.role}`, actor: r.assignedBy });
    if (r.unassignedAt !== undefined) {
      events.push(
        withActor(
          { at: r.unassignedAt, kind: "role", text: `${r.person} is no longer ${r.role}` },
          r.unassignedBy,
        ),
      );
    }
  }
  for (const i of incident.interventions) {
    const kind = i.kind === "rollback" ? "rollback" : "intervention";
    events.push(withActor({ at: i.at, kind, text: `${i.kind}${i.note ? `: ${i.note}` : ""}` }, i.by));
  }
  return events;
}

/** Alert state changes as timeline events. */
export function alertEvents(transitions: readonly AlertTransition[]): TimelineEvent[] {
  return transitions.map((t) => ({
    at: t.at,
    kind: "alert",
    text: `Alert ${t.alertId}${t.sloId ? ` (SLO ${t.sloId})` : ""} ${t.from} → ${t.to}`,
    ref: `alert:${t.alertId}:${t.at}:${t.to}`,
  }));
}

/** Page acknowledgements as timeline events. */
export function acknowledgementEvents(acks: readonly Acknowledgement[]): TimelineEvent[] {
  return acks.map((a) => ({
    at: a.at,
    kind: "acknowledgement",
    text: `${a.by} acknowledged ${a.alertId}`,
    actor: a.by,
    ref: `ack:${a.alertId}:${a.at}`,
  }));
}

/** Rollout steps and rollbacks as timeline events. */
export function rolloutEvents(rollouts: readonly RolloutEvent[]): TimelineEvent[] {
  return rollouts.map((r) =>
    withActor(
      {
        at: r.at,
        kind: r.action === "rolled-back" ? "rollback" : "rollout",
        text: `Rollout of ${r.service} ${r.version} ${r.action}`,
        ref: `rollout:${r.id}:${r.action}`,
      },
      r.by,
    ),
  );
}

/**
 * Merges event lists into one ordered by time. Equal times keep their input order (earlier list
 * first, then position in the list), so the result is stable and deterministic. Events with the
 * same `ref` are kept once (the first seen).
 */
export function mergeTimelines(...lists: readonly (readonly TimelineEvent[])[]): TimelineEvent[] {
  const seen = new Set<string>();
  const all: TimelineEvent[] = [];
  for (const list of lists) {
    for (const e of list) {
      assertUtcMs(e.at, "timeline.at");
      if (e.ref !== undefined) {
        if (seen.has(e.ref)) continue;
        seen.add(e.ref);
      }
      all.push(e);
    }
  }
  // Array.prototype.sort is stable (ES2019), which gives the tie order described above.
  return all.sort((a, b) => a.at - b.at);
}

/** Builds the full incident timeline from every source, in UTC ms order. */
export function buildTimeline(sources: TimelineSources): TimelineEvent[] {
  return mergeTimelines(
    sources.incident ? incidentEvents(sources.incident) : [],
    (sources.signals ?? []).map((s) => ({
      at: s.at,
      kind: "signal" as const,
      text: s.text,
      ref: `signal:${s.id}`,
    })),
    alertEvents(sources.alerts ?? []),
    acknowledgementEvents(sources.acknowledgements ?? []),
    rolloutEvents(sources.rollouts ?? []),
    (sources.notes ?? []).map((n) => ({ at: n.at, kind: "note" as const, text: n.text, actor: n.by })),
  );
}
