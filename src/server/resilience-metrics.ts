import { Counter, Gauge, type Registry } from "prom-client";
import type { ResilienceEvents } from "../resilience/events.js";
import type { LoadShedder } from "../resilience/load-shedder.js";

const BREAKER_STATE = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * Exports the resilience library's events on /metrics: attempts, backoffs, exhausted retry
 * budgets, breaker states and shed requests, named by the policy or shedder that raised them.
 */
export function exportResilienceMetrics(
  registry: Registry,
  events: ResilienceEvents,
  shedder: LoadShedder,
): void {
  const registers = [registry];
  const attempts = new Counter({
    name: "nines_resilience_attempts_total",
    help: "Attempts of outgoing calls by policy and outcome.",
    labelNames: ["policy", "outcome"] as const,
    registers,
  });
  const backoffs = new Counter({
    name: "nines_resilience_backoffs_total",
    help: "Waits before a retry, by policy and reason (backoff or Retry-After).",
    labelNames: ["policy", "reason"] as const,
    registers,
  });
  const exhausted = new Counter({
    name: "nines_resilience_retry_budget_exhausted_total",
    help: "Failures returned at once because the retry budget was spent.",
    labelNames: ["policy"] as const,
    registers,
  });
  const breaker = new Gauge({
    name: "nines_resilience_breaker_state",
    help: "Circuit breaker state: 0 closed, 1 half-open, 2 open.",
    labelNames: ["policy"] as const,
    registers,
  });
  const shed = new Counter({
    name: "nines_resilience_shed_total",
    help: "Requests rejected early by load shedding, by reason and criticality.",
    labelNames: ["shedder", "reason", "criticality"] as const,
    registers,
  });
  new Gauge({
    name: "nines_http_in_flight_requests",
    help: "Requests being served now (load-shedding concurrency).",
    registers,
    collect() {
      this.set(shedder.inFlight);
    },
  });
  new Gauge({
    name: "nines_http_queued_requests",
    help: "Requests waiting for a slot.",
    registers,
    collect() {
      this.set(shedder.queued);
    },
  });
  events.onAttempt((e) => attempts.inc({ policy: e.name, outcome: e.outcome }));
  events.onBackoff((e) => backoffs.inc({ policy: e.name, reason: e.reason }));
  events.onBudgetExhausted((e) => exhausted.inc({ policy: e.name }));
  events.onBreakerStateChange((e) => breaker.set({ policy: e.name }, BREAKER_STATE[e.to]));
  events.onShed((e) => shed.inc({ shedder: e.name, reason: e.reason, criticality: e.criticality }));
}
