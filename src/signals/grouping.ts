import { resolvesAt } from "./auto-resolve.js";
import { classifySignal, type DecidingRule } from "./classify.js";
import { type FiringAlert, inhibitionIndex } from "./inhibition.js";
import { activeMaintenance } from "./maintenance-window.js";
import type { Route, RoutingConfig } from "./routing-config.js";
import { type Labels, type Outcome, type Signal, signalLabels } from "./signal.js";
import { type Silence, silencedBy } from "./silence.js";

/** One deduplicated alert inside a group. */
export interface GroupedAlert {
  readonly fingerprint: string;
  readonly signal: Signal;
  /** {@link signalLabels} plus `class` = the signal's outcome, which inhibit rules can match. */
  readonly labels: Labels;
  readonly outcome: Outcome;
  readonly rule: DecidingRule;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** How many times the same fingerprint was received (deduplicated into this alert). */
  readonly received: number;
  readonly resolvedAt: number | null;
  /** True when resolved by the quiet period rather than by the sender. */
  readonly autoResolved: boolean;
}

/** An Alertmanager-style aggregation group: the alerts of one route sharing the group-by labels. */
export interface AlertGroup {
  /** Route path plus group labels, e.g. `route.routes[0]{alertname="Burn",service="db"}`. */
  readonly key: string;
  readonly routePath: string;
  readonly groupLabels: Labels;
  readonly alerts: readonly GroupedAlert[];
  readonly createdAt: number;
  readonly nextFlushAt: number;
  readonly lastNotifiedAt: number | null;
  /** Fingerprints last notified as firing, sorted. */
  readonly notifiedFiring: readonly string[];
}

export interface GroupingState {
  readonly groups: readonly AlertGroup[];
}

export const EMPTY_GROUPING_STATE: GroupingState = { groups: [] };

export interface MutedAlert {
  readonly fingerprint: string;
  readonly reason: "silenced" | "inhibited" | "maintenance";
  /** Id of the silence or maintenance window, or name of the inhibit rule. */
  readonly by: string;
}

/** A notification to deliver for one group (the leader's notification outbox sends it to the receiver). */
export interface GroupNotification {
  readonly at: number;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly route: DecidingRule;
  readonly outcome: Outcome;
  readonly receiver: string | null;
  readonly team: string | null;
  readonly escalation: string | null;
  readonly firing: readonly GroupedAlert[];
  readonly resolved: readonly GroupedAlert[];
  readonly muted: readonly MutedAlert[];
  /** "changed" when the set of firing or resolved alerts changed since the last one, else "repeat". */
  readonly kind: "changed" | "repeat";
}

export interface GroupingInput {
  readonly now: number;
  readonly signals?: readonly Signal[];
  readonly silences?: readonly Silence[];
}

export interface ClassifiedSignal {
  readonly fingerprint: string;
  readonly outcome: Outcome;
  readonly rule: DecidingRule;
}

export interface GroupingOutput {
  readonly state: GroupingState;
  readonly notifications: readonly GroupNotification[];
  /** The classification of each input signal, in input order (logs included). */
  readonly classified: readonly ClassifiedSignal[];
  /** When to call {@link stepGrouping} again at the latest, or null when no group is open. */
  readonly nextTickAt: number | null;
}

/**
 * One step of the grouping state machine, Alertmanager's dispatcher as a pure function: new
 * signals join (or deduplicate into) the group of each page/ticket route they match; a new group
 * waits `groupWait` before its first notification, then is flushed every `groupInterval`, sending
 * when its firing or resolved alerts changed, or again after `repeatInterval`. Silences,
 * inhibition and maintenance windows mute alerts at flush time; resolved alerts are sent once and
 * dropped; signals of sources that never resolve are resolved after their quiet period.
 */
export function stepGrouping(
  config: RoutingConfig,
  state: GroupingState,
  input: GroupingInput,
): GroupingOutput {
  const { now } = input;
  const routes = routeIndex(config.route);
  const groups = new Map(state.groups.map((g) => [g.key, g]));
  // Alerts of the groups touched in this step, by fingerprint, written back once at the end.
  const touched = new Map<string, Map<string, GroupedAlert>>();
  const classified: ClassifiedSignal[] = [];

  for (const signal of input.signals ?? []) {
    const c = classifySignal(config, signal);
    classified.push({ fingerprint: signal.fingerprint, outcome: c.outcome, rule: c.rule });
    const labels = { ...signalLabels(signal), class: c.outcome };
    for (const route of c.matches) {
      if (route.classify === "log") continue;
      const groupLabels = groupLabelsOf(route, labels);
      const key = `${route.path}${formatLabels(groupLabels)}`;
      let group = groups.get(key);
      let alerts = touched.get(key);
      const known =
        alerts?.get(signal.fingerprint) ?? group?.alerts.find((a) => a.fingerprint === signal.fingerprint);
      const ended = signal.endsAt !== undefined && signal.endsAt <= now;
      if (known === undefined && ended) continue;
      if (group === undefined) {
        group = {
          key,
          routePath: route.path,
          groupLabels,
          alerts: [],
          createdAt: now,
          nextFlushAt: now + route.groupWaitMs,
          lastNotifiedAt: null,
          notifiedFiring: [],
        };
        groups.set(key, group);
      }
      if (alerts === undefined) {
        alerts = new Map(group.alerts.map((a) => [a.fingerprint, a]));
        touched.set(key, alerts);
      }
      alerts.set(signal.fingerprint, {
        fingerprint: signal.fingerprint,
        signal,
        labels,
        outcome: c.outcome,
        rule: c.rule,
        firstSeenAt: known?.firstSeenAt ?? now,
        lastSeenAt: now,
        received: (known?.received ?? 0) + 1,
        resolvedAt: ended ? (signal.endsAt as number) : null,
        autoResolved: false,
      });
    }
  }
  for (const [key, alerts] of touched) {
    const group = groups.get(key);
    if (group !== undefined) groups.set(key, { ...group, alerts: [...alerts.values()] });
  }

  for (const [key, g] of groups) {
    let resolvedNow = false;
    const alerts = g.alerts.map((a) => {
      if (a.resolvedAt !== null) return a;
      const at = resolvesAt(config.autoResolve, a.signal, a.lastSeenAt);
      if (at === null || at > now) return a;
      resolvedNow = true;
      return { ...a, resolvedAt: at, autoResolved: a.signal.endsAt === undefined };
    });
    if (resolvedNow) groups.set(key, { ...g, alerts });
  }

  const firing = new Map<string, FiringAlert>();
  for (const g of groups.values())
    for (const a of g.alerts) if (a.resolvedAt === null) firing.set(a.fingerprint, a);
  const inhibited = inhibitionIndex(config.inhibitRules, [...firing.values()]);
  const muteOf = (a: GroupedAlert): MutedAlert | undefined => {
    const silence = silencedBy(input.silences ?? [], a.labels, now);
    if (silence !== undefined) return { fingerprint: a.fingerprint, reason: "silenced", by: silence.id };
    const inhibition = inhibited(a);
    if (inhibition !== undefined)
      return { fingerprint: a.fingerprint, reason: "inhibited", by: inhibition.rule.name };
    const window = activeMaintenance(config.maintenanceWindows, a.signal.service, a.outcome, now);
    if (window !== undefined) return { fingerprint: a.fingerprint, reason: "maintenance", by: window.id };
    return undefined;
  };

  const notifications: GroupNotification[] = [];
  const next: AlertGroup[] = [];
  for (const g of groups.values()) {
    const route = routes.get(g.routePath) ?? config.route;
    if (g.nextFlushAt > now) {
      next.push(g);
      continue;
    }
    const muted: MutedAlert[] = [];
    const toNotify: GroupedAlert[] = [];
    for (const a of g.alerts) {
      if (a.resolvedAt !== null) continue;
      const mute = muteOf(a);
      if (mute === undefined) toNotify.push(a);
      else muted.push(mute);
    }
    const resolved = g.alerts.filter(
      (a) => a.resolvedAt !== null && g.notifiedFiring.includes(a.fingerprint),
    );
    const fingerprints = toNotify.map((a) => a.fingerprint).sort();
    const changed = fingerprints.join("\u0000") !== g.notifiedFiring.join("\u0000") || resolved.length > 0;
    const repeat =
      !changed &&
      fingerprints.length > 0 &&
      g.lastNotifiedAt !== null &&
      now - g.lastNotifiedAt >= route.repeatIntervalMs;
    const send = (changed && (fingerprints.length > 0 || resolved.length > 0)) || repeat;
    if (send) {
      notifications.push({
        at: now,
        groupKey: g.key,
        groupLabels: g.groupLabels,
        route: { path: route.path, name: route.name },
        outcome: route.classify,
        receiver: route.receiver,
        team: route.team,
        escalation: route.escalation,
        firing: toNotify,
        resolved,
        muted,
        kind: changed ? "changed" : "repeat",
      });
    }
    const remaining = g.alerts.filter((a) => a.resolvedAt === null);
    if (remaining.length === 0) continue;
    const interval = Math.max(1, route.groupIntervalMs);
    next.push({
      ...g,
      alerts: remaining,
      nextFlushAt: g.nextFlushAt + interval * (Math.floor((now - g.nextFlushAt) / interval) + 1),
      lastNotifiedAt: send ? now : g.lastNotifiedAt,
      notifiedFiring: fingerprints,
    });
  }
  const nextTickAt = next.length === 0 ? null : Math.min(...next.map((g) => g.nextFlushAt));
  return { state: { groups: next }, notifications, classified, nextTickAt };
}

function routeIndex(root: Route): Map<string, Route> {
  const index = new Map<string, Route>();
  const walk = (r: Route): void => {
    index.set(r.path, r);
    r.routes.forEach(walk);
  };
  walk(root);
  return index;
}

function groupLabelsOf(route: Route, labels: Labels): Labels {
  if (route.groupBy.includes("...")) return labels;
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    const value = labels[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function formatLabels(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(",")}}`;
}
