import type { FastifyBaseLogger } from "fastify";
import type { OncallDirectory } from "../oncall/directory.js";
import { CircuitBreaker } from "../resilience/circuit-breaker.js";
import type { CancelTimer, Clock } from "../resilience/clock.js";
import type { ResilienceEvents } from "../resilience/events.js";
import { createPolicy, type Policy } from "../resilience/policy.js";
import type { RandomSource } from "../resilience/random.js";
import { TimerQueue } from "../resilience/timer-queue.js";
import type { BackgroundTask } from "../server/background.js";
import { errorText, failureOf } from "./delivery-error.js";
import {
  type AttemptRecord,
  type ClaimKey,
  claimsAfter,
  type DeliveryFailedHook,
  type DeliveryResult,
  type NotificationOutboxStore,
  type StoredNotification,
} from "./outbox.store.js";
import type { Receiver } from "./receivers.js";
import type { ReceiversStore } from "./receivers.store.js";
import { contactDestination, type Destination, receiverDestination, type Sender } from "./senders.js";
import type { SmtpSettings } from "./smtp-client.js";

export interface DeliverySettings {
  /** Time limit of one attempt. */
  readonly timeoutMs: number;
  /** Attempts in flight at once. */
  readonly concurrency: number;
  /** Most notifications claimed by one query. */
  readonly batchSize?: number;
  readonly pollIntervalMs: number;
  /** Full-jitter backoff: the n-th retry waits random(0, min(cap, base·2ⁿ⁻¹)). */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** A notification still undelivered this long after it was queued is marked failed. */
  readonly giveUpAfterMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenMs: number;
}

export interface DeliveryWorkerOptions {
  readonly outbox: NotificationOutboxStore;
  readonly receivers: ReceiversStore;
  /** Looks people up for person targets (the on-call directory). */
  readonly directory?: Pick<OncallDirectory, "person"> | undefined;
  readonly sender: Sender;
  readonly settings: DeliverySettings;
  /** SMTP of nines.yaml, for email receivers without their own and people's email contacts. */
  readonly smtp?: SmtpSettings | undefined;
  /** Epoch-millisecond clock (a VirtualClock in tests): schedules, backoff and breakers. */
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly events?: ResilienceEvents;
  readonly log?: FastifyBaseLogger;
  /** Called in the transaction that marks a notification failed (raises a ticket for the team). */
  readonly onDeliveryFailed?: DeliveryFailedHook | undefined;
}

const epochWatchdogs = new TimerQueue(() => Date.now());

/**
 * Real time in epoch milliseconds, with timers that do not keep the process alive; attempt
 * timeouts share one Node timer (a `setTimeout` pair per send was a visible cost at thousands of
 * sends per second).
 */
export const epochClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.min(2_147_483_647, Math.max(0, delayMs)));
    handle.unref();
    return () => clearTimeout(handle);
  },
  setWatchdog: (delayMs, callback) => epochWatchdogs.set(delayMs, callback),
};

interface Target {
  readonly label: string;
  /** Key of this destination in a person's progress. */
  readonly key: string;
  readonly destination: Destination | undefined;
}

/**
 * The delivery worker (leader only). It claims due notifications, sends each through its
 * receiver's policy (per-attempt timeout and a breaker per receiver, from nines/resilience), and
 * records every attempt. A failure that may pass is retried with full-jitter exponential backoff
 * (capped), the next attempt's time stored in the row so a restart keeps the schedule; a
 * permanent failure, or `giveUpAfterMs` without success, marks the notification failed and calls
 * `onDeliveryFailed` in the same transaction. Delivery is at least once: a crash between sending
 * and recording sends again, with the same dedup key.
 */
export function deliveryWorker(options: DeliveryWorkerOptions) {
  const { outbox, receivers, sender, settings } = options;
  const clock = options.clock ?? epochClock;
  const random = options.random ?? Math.random;
  const batchSize = options.settings.batchSize ?? 500;
  const policies = new Map<string, { policy: Policy; breaker: CircuitBreaker }>();

  const policyFor = (label: string) => {
    let entry = policies.get(label);
    if (!entry) {
      const breaker = new CircuitBreaker({
        name: `notify:${label}`,
        strategy: { kind: "consecutive", threshold: settings.breakerThreshold },
        halfOpenAfterMs: settings.breakerHalfOpenMs,
        // Only failures that say something about the receiver's health open it, not a 400.
        isFailure: (outcome) => !outcome.ok && !failureOf(outcome.error).permanent,
        clock,
        ...(options.events ? { events: options.events } : {}),
      });
      const policy = createPolicy({
        name: `notify:${label}`,
        breaker,
        maxAttempts: 1,
        attemptTimeoutMs: settings.timeoutMs,
        // A send that returned has read its whole answer: nothing is left to abort.
        abortOnReturn: false,
        clock,
        ...(options.events ? { events: options.events } : {}),
      });
      entry = { policy, breaker };
      policies.set(label, entry);
    }
    return entry;
  };

  /** Destinations per receiver object (a fresh map of receivers is read for every claim). */
  const destinations = new WeakMap<Receiver, Destination>();
  const destinationOf = (receiver: Receiver): Destination => {
    let destination = destinations.get(receiver);
    if (destination === undefined) {
      destination = receiverDestination(receiver, options.smtp);
      destinations.set(receiver, destination);
    }
    return destination;
  };

  const retryDelay = (attempts: number, retryAfterMs: number | undefined) => {
    const exponential = Math.min(
      settings.backoffCapMs,
      settings.backoffBaseMs * 2 ** Math.min(attempts - 1, 40),
    );
    const jittered = random() * exponential;
    return retryAfterMs === undefined
      ? jittered
      : Math.max(jittered, Math.min(retryAfterMs, settings.backoffCapMs));
  };

  const targetsOf = async (
    n: StoredNotification,
    receiverMap: ReadonlyMap<string, Receiver>,
  ): Promise<{ targets: Target[]; problem?: string }> => {
    if (n.target.type === "receiver") {
      const receiver = receiverMap.get(n.target.receiverId);
      if (!receiver) return { targets: [], problem: `no receiver named "${n.target.receiverId}"` };
      return {
        targets: [
          {
            label: receiver.name,
            key: receiver.name,
            destination: destinationOf(receiver),
          },
        ],
      };
    }
    const personId = n.target.personId;
    if (!options.directory) return { targets: [], problem: "no on-call directory to look people up" };
    const person = await options.directory.person(personId);
    if (!person) return { targets: [], problem: `no person with id "${personId}"` };
    const targets = person.contacts.map((contact) => {
      const key = `${contact.kind}:${contact.address}`;
      return {
        label: `person:${personId} ${key}`,
        key,
        destination: contactDestination(contact, options.smtp),
      };
    });
    if (!targets.some((t) => t.destination !== undefined))
      return { targets, problem: `person "${personId}" has no email, webhook or chat contact` };
    return { targets };
  };

  /** One round on one notification; never throws. */
  const round = async (
    n: StoredNotification,
    receiverMap: ReadonlyMap<string, Receiver>,
  ): Promise<DeliveryResult> => {
    const attempt = n.attempts + 1;
    const started = clock.now();
    const giveUpAt = n.createdAt + settings.giveUpAfterMs;
    const records: AttemptRecord[] = [];
    try {
      const { targets, problem } = await targetsOf(n, receiverMap);
      const label = n.target.type === "receiver" ? n.target.receiverId : `person:${n.target.personId}`;
      if (problem !== undefined) {
        records.push({
          attempt,
          at: started,
          receiver: label,
          outcome: "failed",
          error: problem,
          durationMs: 0,
        });
        return { id: n.id, outcome: "failed", attempted: true, attempts: records, error: problem };
      }
      const progress = new Set(n.progress);
      let sent = 0;
      let deferred = false;
      let lastError: string | undefined;
      let retryAfterMs: number | undefined;
      let anyDelivered = n.progress.some((k) => !k.startsWith("!"));
      for (const target of targets) {
        if (progress.has(target.key) || progress.has(`!${target.key}`)) continue;
        const at = clock.now();
        if (target.destination === undefined) {
          records.push({
            attempt,
            at,
            receiver: target.label,
            outcome: "skipped",
            error: "nines cannot send to this kind of contact",
            durationMs: 0,
          });
          progress.add(`!${target.key}`);
          continue;
        }
        const { policy, breaker } = policyFor(target.label);
        if (breaker.state === "open") {
          deferred = true;
          continue;
        }
        const destination = target.destination;
        try {
          const status = await policy.execute((context) => sender.send(destination, n, context));
          sent++;
          records.push({
            attempt,
            at,
            receiver: target.label,
            outcome: "success",
            statusCode: status,
            durationMs: clock.now() - at,
          });
          progress.add(target.key);
          anyDelivered = true;
        } catch (error) {
          const failure = failureOf(error);
          if (isCircuitOpen(error)) {
            deferred = true;
            continue;
          }
          sent++;
          lastError = `${target.label}: ${errorText(error)}`;
          const final = failure.permanent || clock.now() >= giveUpAt;
          records.push({
            attempt,
            at,
            receiver: target.label,
            outcome: final ? "failed" : "retry",
            ...(failure.status !== undefined ? { statusCode: failure.status } : {}),
            error: errorText(error),
            durationMs: clock.now() - at,
          });
          if (failure.permanent) progress.add(`!${target.key}`);
          if (failure.retryAfterMs !== undefined)
            retryAfterMs = Math.max(retryAfterMs ?? 0, failure.retryAfterMs);
        }
      }
      const remaining = targets.filter((t) => !progress.has(t.key) && !progress.has(`!${t.key}`));
      const progressList = n.target.type === "person" ? { progress: [...progress] } : {};
      const attempted = sent > 0 || records.length > 0;
      if (remaining.length === 0) {
        if (anyDelivered)
          return { id: n.id, outcome: "delivered", attempted, attempts: records, ...progressList };
        return {
          id: n.id,
          outcome: "failed",
          attempted,
          attempts: records,
          error: lastError ?? "no contact could be reached",
          ...progressList,
        };
      }
      const now = clock.now();
      if (now >= giveUpAt) {
        const error = `gave up after ${Math.round(settings.giveUpAfterMs / 1000)} s: ${lastError ?? "receiver unavailable (breaker open)"}`;
        return { id: n.id, outcome: "failed", attempted, attempts: records, error, ...progressList };
      }
      // An open breaker defers without an attempt: come back around when it lets a probe through.
      const delay =
        sent > 0 || !deferred
          ? retryDelay(attempt, retryAfterMs)
          : settings.breakerHalfOpenMs * (0.5 + random() * 0.5);
      return {
        id: n.id,
        outcome: "retry",
        attempted: sent > 0,
        attempts: records,
        nextAttemptAt: Math.min(now + delay, giveUpAt),
        ...(lastError !== undefined ? { error: lastError } : {}),
        ...progressList,
      };
    } catch (error) {
      // The directory or the store failed: nothing was sent; try again later.
      options.log?.warn({ err: error, notification: n.id }, "notification round failed");
      return {
        id: n.id,
        outcome: "retry",
        attempted: false,
        attempts: records,
        nextAttemptAt: Math.min(clock.now() + retryDelay(attempt, undefined), giveUpAt),
        error: errorText(error),
      };
    }
  };

  const receiversFor = (rows: readonly StoredNotification[]) =>
    receivers.byNames(rows.flatMap((r) => (r.target.type === "receiver" ? [r.target.receiverId] : [])));

  const complete = (results: readonly DeliveryResult[]) => outbox.complete(results, options.onDeliveryFailed);
  /** Set while the delivery loop runs: makes it look for due notifications now. */
  let wakeLoop: (() => void) | undefined;

  return {
    /**
     * One pass: claims up to a batch of due notifications, sends them (at most `concurrency` at
     * once), records the results. Returns how many were processed. Tests on a simulated clock
     * drive the worker with this.
     */
    async runOnce(): Promise<number> {
      const rows = await outbox.due(batchSize, clock.now());
      if (rows.length === 0) return 0;
      const receiverMap = await receiversFor(rows);
      const results: DeliveryResult[] = new Array(rows.length);
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < rows.length; i = next++) results[i] = await round(rows[i]!, receiverMap);
      };
      await Promise.all(Array.from({ length: Math.min(settings.concurrency, rows.length) }, lane));
      await complete(results);
      return rows.length;
    },

    /**
     * Something was just queued (and committed) in this process: look now instead of at the next
     * poll. Other replicas' notifications are found by polling.
     */
    wake(): void {
      wakeLoop?.();
    },

    /** The delivery loop as a leader task: runs until `signal` aborts. */
    task(): BackgroundTask {
      return {
        name: "notification-delivery",
        start: (signal) => loop(signal),
      };
    },

    /** Open breakers, by receiver label (for tests and diagnostics). */
    breakerStates(): Record<string, string> {
      return Object.fromEntries([...policies].map(([label, { breaker }]) => [label, breaker.state]));
    },
  };

  async function loop(signal: AbortSignal): Promise<void> {
    /** Claimed rows not yet recorded, with their place in claim order. */
    const inflight = new Map<number, ClaimKey>();
    /** Where the current sweep of claims stands (undefined: the next claim starts from the earliest due row). */
    let cursor: ClaimKey | undefined;
    let sweepStartedAt = 0;
    const inflightBeyond = (after: ClaimKey | undefined): number[] => {
      const ids: number[] = [];
      for (const [id, key] of inflight) if (after === undefined || claimsAfter(key, after)) ids.push(id);
      return ids;
    };
    const done: DeliveryResult[] = [];
    let running = 0;
    let flushNow = false;
    let flushing: Promise<void> | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    signal.addEventListener("abort", notify, { once: true });
    let woken = false;
    wakeLoop = () => {
      woken = true;
      drained = false;
      notify();
    };
    const threshold = Math.max(1, Math.floor(settings.concurrency / 4));
    // Results committed per transaction: one commit (one fsync) per round of `concurrency` sends.
    const groupSize = Math.max(threshold, Math.min(batchSize, settings.concurrency));
    /** The last claim found fewer due rows than it asked for: finished sends need not look again. */
    let drained = false;
    // Claimed rows wait here for a free lane: up to three more rounds of `concurrency` are claimed
    // ahead, so that sends go on while the next claim query runs, and each claim brings a full
    // round (claims run one at a time, so their size bounds the rate).
    const capacity = settings.concurrency * 4;
    /** Smallest claim worth a query. */
    const claimAt = Math.max(1, settings.concurrency);
    const queued: { row: StoredNotification; receiverMap: ReadonlyMap<string, Receiver> }[] = [];
    const startSends = () => {
      while (running < settings.concurrency && queued.length > 0 && !signal.aborted) {
        const { row, receiverMap } = queued.shift()!;
        running++;
        void round(row, receiverMap).then((result) => {
          done.push(result);
          running--;
          startSends();
          // Wake the loop only when it has something to do: arm the flush timer for the first
          // result, commit a full group, or claim more while due rows remain.
          if (
            done.length === 1 ||
            done.length >= groupSize ||
            running === 0 ||
            (!drained && capacity - running - queued.length >= claimAt)
          )
            notify();
        });
      }
    };
    while (!signal.aborted) {
      let full = false;
      try {
        const room = capacity - running - queued.length;
        if (room >= claimAt) {
          const limit = Math.min(batchSize, room);
          const claimedAt = clock.now();
          const rows = await outbox.due(limit, claimedAt, { after: cursor, exclude: inflightBeyond(cursor) });
          full = rows.length === limit;
          drained = !full;
          // A sweep ends when it runs dry, and at least every SWEEP_MS: rows behind its cursor that
          // it never saw (queued by another replica under an earlier schedule, or released after a
          // failed commit) are then claimed by the next sweep.
          if (cursor === undefined) sweepStartedAt = claimedAt;
          const last = rows.at(-1);
          cursor =
            full && last !== undefined && claimedAt - sweepStartedAt < SWEEP_MS
              ? { at: last.nextAttemptAt, id: last.id }
              : undefined;
          if (rows.length > 0) {
            const receiverMap = await receiversFor(rows);
            for (const row of rows) {
              inflight.set(row.id, { at: row.nextAttemptAt, id: row.id });
              queued.push({ row, receiverMap });
            }
            startSends();
          }
        }
        // Group commit: record results in batches, unless few are in flight or they waited long
        // enough. One commit at a time, run beside the claims and sends (the loop does not wait
        // for it); its rows stay excluded from claims until it ends.
        if (
          done.length > 0 &&
          flushing === undefined &&
          (flushNow || running === 0 || done.length >= groupSize)
        ) {
          flushNow = false;
          const batch = done.splice(0);
          flushing = complete(batch)
            .catch((error: unknown) => {
              options.log?.error({ err: error }, "recording notification deliveries failed");
            })
            .finally(() => {
              // Recorded, or (if recording failed) due again: sent again, at least once.
              for (const r of batch) inflight.delete(r.id);
              flushing = undefined;
              notify();
            });
          continue;
        }
      } catch (error) {
        options.log?.error({ err: error }, "notification delivery pass failed");
      }
      if (full && capacity - running - queued.length >= claimAt) continue;
      if (woken) {
        woken = false;
        continue;
      }
      const waitMs = done.length > 0 ? FLUSH_DELAY_MS : settings.pollIntervalMs;
      await new Promise<void>((resolve) => {
        let cancel: CancelTimer | undefined;
        wake = () => {
          cancel?.();
          resolve();
        };
        if (signal.aborted) return wake();
        cancel = clock.setTimer(waitMs, () => {
          wake = undefined;
          if (done.length > 0) flushNow = true;
          resolve();
        });
      });
    }
    wakeLoop = undefined;
    // Shutting down: record what already finished; what is still in flight is sent again after restart.
    await flushing;
    if (done.length > 0) await complete(done.splice(0)).catch(() => undefined);
  }
}

/** Longest a sweep of claims goes on from its cursor before starting again from the earliest due row. */
const SWEEP_MS = 1_000;

/** Longest a finished delivery waits for others to be recorded in the same transaction. */
const FLUSH_DELAY_MS = 5;

function isCircuitOpen(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "NINES_ERR_RESILIENCE_CIRCUIT_OPEN"
  );
}

export type DeliveryWorker = ReturnType<typeof deliveryWorker>;
