import { EscalationPolicyInvalidError } from "./errors.js";
import type { Schedule } from "./model.js";
import { whoIsOnCall, whoIsOnCallInLayer } from "./shifts.js";

/** One step of an escalation policy, run in order. */
export type EscalationStep =
  | { readonly kind: "notify-schedule"; readonly scheduleId: string; readonly layerId?: string }
  | { readonly kind: "notify-person"; readonly personId: string }
  | { readonly kind: "wait"; readonly minutes: number };

export interface EscalationPolicy {
  readonly id: string;
  readonly name: string;
  readonly steps: readonly EscalationStep[];
  /** How many more times the whole list of steps runs when nobody acknowledges (0 = once). */
  readonly repeat: number;
}

/** The page being escalated; instants in epoch ms. */
export interface EscalatedPage {
  readonly id: string;
  readonly createdAt: number;
  readonly ackedAt?: number;
  readonly resolvedAt?: number;
}

export interface EscalationNotification {
  readonly at: number;
  /** Who to notify; null when a schedule step found nobody on call (report it, do not drop it). */
  readonly personId: string | null;
  /** Index into `policy.steps`. */
  readonly step: number;
  /** 0 for the first pass through the steps, 1 for the first repeat, … */
  readonly attempt: number;
  /** Stable key for "already sent" bookkeeping. */
  readonly key: string;
}

export interface EscalationState {
  readonly status: "escalating" | "acknowledged" | "resolved" | "exhausted";
  /** Notifications due at or before `now` and not in `sent`. */
  readonly due: readonly EscalationNotification[];
  /** When the next notification falls due, or null when none will. */
  readonly nextAt: number | null;
}

const MINUTE_MS = 60_000;

/** Throws NINES_ERR_ONCALL_ESCALATION_INVALID when the policy cannot run as written. */
export function assertEscalationPolicy(policy: EscalationPolicy): void {
  const problems: { path: string; message: string }[] = [];
  if (!policy.steps.some((s) => s.kind !== "wait"))
    problems.push({ path: "steps", message: "has no notify step" });
  policy.steps.forEach((s, i) => {
    if (s.kind === "wait" && !(Number.isFinite(s.minutes) && s.minutes >= 0)) {
      problems.push({ path: `steps[${i}].minutes`, message: "must be a non-negative number" });
    }
  });
  if (!Number.isInteger(policy.repeat) || policy.repeat < 0) {
    problems.push({ path: "repeat", message: "must be a non-negative whole number" });
  } else if (policy.repeat > 0 && !policy.steps.some((s) => s.kind === "wait" && s.minutes > 0)) {
    problems.push({
      path: "repeat",
      message: "a repeating policy needs a wait step, or every repeat fires at once",
    });
  }
  if (problems.length > 0) {
    throw new EscalationPolicyInvalidError(
      `invalid escalation policy "${policy.id}": ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      problems,
    );
  }
}

/**
 * Every notification the policy would send if nobody ever acknowledged: the steps run from the
 * page's creation, a wait step moves the clock, and the list runs 1 + `repeat` times. On-call
 * people are looked up at the moment each notification is sent.
 */
export function escalationPlan(
  policy: EscalationPolicy,
  page: EscalatedPage,
  schedules: ReadonlyMap<string, Schedule>,
): EscalationNotification[] {
  assertEscalationPolicy(policy);
  const plan: EscalationNotification[] = [];
  let at = page.createdAt;
  for (let attempt = 0; attempt <= policy.repeat; attempt++) {
    policy.steps.forEach((step, index) => {
      if (step.kind === "wait") {
        at += step.minutes * MINUTE_MS;
        return;
      }
      const personId = step.kind === "notify-person" ? step.personId : scheduleTarget(schedules, step, at);
      plan.push({ at, personId, step: index, attempt, key: `${attempt}:${index}` });
    });
  }
  return plan;
}

/**
 * One evaluation of the escalation state machine at `now`: which notifications are due and not yet
 * sent, and when to look again. Nothing is ever due at or after the acknowledgement or resolution.
 */
export function evaluateEscalation(
  policy: EscalationPolicy,
  page: EscalatedPage,
  schedules: ReadonlyMap<string, Schedule>,
  now: number,
  sent: ReadonlySet<string> = new Set(),
): EscalationState {
  const stops = [page.ackedAt, page.resolvedAt].filter((t): t is number => t !== undefined);
  const stopAt = stops.length > 0 ? Math.min(...stops) : Number.POSITIVE_INFINITY;
  const plan = escalationPlan(policy, page, schedules).filter((n) => n.at < stopAt);
  const due = plan.filter((n) => n.at <= now && !sent.has(n.key));
  const upcoming = plan.find((n) => n.at > now);
  let status: EscalationState["status"] = "escalating";
  if (page.resolvedAt !== undefined && page.resolvedAt <= now) status = "resolved";
  else if (page.ackedAt !== undefined && page.ackedAt <= now) status = "acknowledged";
  else if (upcoming === undefined) status = "exhausted";
  return { status, due, nextAt: upcoming?.at ?? null };
}

function scheduleTarget(
  schedules: ReadonlyMap<string, Schedule>,
  step: { readonly scheduleId: string; readonly layerId?: string },
  at: number,
): string | null {
  const schedule = schedules.get(step.scheduleId);
  if (schedule === undefined) return null;
  if (step.layerId !== undefined) return whoIsOnCallInLayer(schedule, step.layerId, at);
  return whoIsOnCall(schedule, at).personId;
}
