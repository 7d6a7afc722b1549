import type { FastifyBaseLogger } from "fastify";
import { deadlineHeaders } from "../../resilience/deadline.js";
import type { ResilienceEvents } from "../../resilience/events.js";
import { createPolicy } from "../../resilience/policy.js";
import { createTokenBucketBudget } from "../../resilience/retry-budget.js";
import type { AlertEvent } from "../../slo/evaluator-types.js";
import type { SloRuntime } from "../../slo/slo-runtime.js";
import type { PostableAlert } from "./postable-alert.js";
import { sloAlertToPostable } from "./slo-alert-to-postable.js";

export interface AlertmanagerSenderOptions {
  /** Base URL of an Alertmanager, e.g. http://alertmanager:9093. */
  readonly url: string;
  readonly runtime: SloRuntime;
  readonly log: FastifyBaseLogger;
  /** The evaluator's tick: firing alerts stay valid for four ticks without a re-send. */
  readonly tickMs: number;
  readonly events?: ResilienceEvents;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(`Alertmanager answered ${status}`);
  }
}

/**
 * Pushes nines' SLO alerts to an Alertmanager (`POST /api/v2/alerts`), as Prometheus does: every
 * tick re-posts each firing alert with an `endsAt` a few ticks ahead, and a resolved transition
 * posts `endsAt` = now. Re-posting makes the push idempotent and self-healing: an alert lost to a
 * failed request or a restart is sent again on the next tick.
 */
export function alertmanagerSender(options: AlertmanagerSenderOptions) {
  const endpoint = `${options.url.replace(/\/+$/, "")}/api/v2/alerts`;
  const started = new Map<string, number>();
  const policy = createPolicy({
    name: "alertmanager",
    deadlineMs: Math.min(options.tickMs, 20_000),
    attemptTimeoutMs: 5_000,
    maxAttempts: 3,
    budget: createTokenBucketBudget({ maxTokens: 10, tokenRatio: 0.1 }),
    ...(options.events ? { events: options.events } : {}),
  });

  const firingAlerts = (now: number): PostableAlert[] => {
    const alerts: PostableAlert[] = [];
    for (const [id, slo] of options.runtime.specs) {
      for (const line of options.runtime.evaluator.firing(id)) {
        const key = `${id}\u0000${line}`;
        if (!started.has(key)) started.set(key, now);
        const severity = slo.alerting.lines.find((l) => l.name === line)?.severity ?? "ticket";
        alerts.push(
          sloAlertToPostable(
            {
              sloId: id,
              service: slo.service,
              line,
              severity,
              state: "firing",
              at: now,
              startedAt: started.get(key)!,
              labels: { ...slo.labels },
            },
            { validForMs: 4 * options.tickMs },
          ),
        );
      }
    }
    return alerts;
  };

  return {
    /** Sends the state after one tick: every firing alert, and the transitions to resolved. */
    async sync(transitions: readonly AlertEvent[], now = Date.now()): Promise<number> {
      const resolved = transitions
        .filter((e) => e.state === "resolved")
        .map((e) => {
          const key = `${e.sloId}\u0000${e.line}`;
          const startedAt = started.get(key) ?? e.at;
          started.delete(key);
          const labels = { ...options.runtime.specs.get(e.sloId)?.labels };
          return sloAlertToPostable({ ...e, startedAt, labels });
        });
      const alerts = [...firingAlerts(now), ...resolved];
      if (alerts.length === 0) return 0;
      await policy.execute(async ({ signal, deadline }) => {
        const response = await fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...deadlineHeaders(deadline) },
          body: JSON.stringify(alerts),
          signal,
        });
        await response.arrayBuffer();
        if (!response.ok) throw new HttpStatusError(response.status, response.headers);
      });
      return alerts.length;
    },
  };
}

export type AlertmanagerSender = ReturnType<typeof alertmanagerSender>;
