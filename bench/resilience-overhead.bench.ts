/**
 * Overhead of a successful call through the full composed policy (deadline ▸ budget ▸ breaker ▸
 * retry ▸ timeout) against a bare call, next to cockatiel's composed policy doing the same.
 * Run: npx tsx bench/resilience-overhead.bench.ts
 */
import {
  ConsecutiveBreaker,
  circuitBreaker,
  retry as cockatielRetry,
  ExponentialBackoff,
  handleAll,
  TimeoutStrategy,
  timeout,
  wrap,
} from "cockatiel";
import {
  CircuitBreaker,
  createPolicy,
  createTokenBucketBudget,
  mulberry32,
  ResilienceEvents,
} from "../src/resilience/index.js";

const ITERATIONS = 100_000;
const PEER_ITERATIONS = 10_000;
const ROUNDS = 7;

const work = async (): Promise<number> => 1;

/**
 * Variants run in alternation, several rounds each, and the fastest round counts: other work on
 * the machine only ever adds time, so the minimum is the steadiest estimate.
 */
async function measureAll(variants: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (const call of Object.values(variants)) for (let i = 0; i < 5_000; i++) await call();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [label, call] of Object.entries(variants)) {
      // cockatiel is ~100× slower per call; fewer iterations keep the run short.
      const n = label.startsWith("peer") ? PEER_ITERATIONS : ITERATIONS;
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await call();
      const ns = Number(process.hrtime.bigint() - start) / n;
      best[label] = Math.min(best[label] ?? Number.POSITIVE_INFINITY, ns);
    }
  }
  return best;
}

const events = new ResilienceEvents();
const nines = createPolicy({
  name: "bench",
  deadlineMs: 5000,
  budget: createTokenBucketBudget(),
  breaker: new CircuitBreaker({
    name: "bench",
    strategy: { kind: "consecutive", threshold: 5 },
    halfOpenAfterMs: 10_000,
  }),
  maxAttempts: 3,
  attemptTimeoutMs: 2000,
  random: mulberry32(1),
  events,
});
events.onAttempt(() => {});
const ninesNoTimers = createPolicy({
  name: "bench-no-timers",
  budget: createTokenBucketBudget(),
  breaker: new CircuitBreaker({
    name: "bench",
    strategy: { kind: "consecutive", threshold: 5 },
    halfOpenAfterMs: 10_000,
  }),
  maxAttempts: 3,
  random: mulberry32(1),
});
const cockatiel = wrap(
  timeout(5000, TimeoutStrategy.Aggressive),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  cockatielRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  timeout(2000, TimeoutStrategy.Aggressive),
);

const cockatielNoTimers = wrap(
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  cockatielRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
);

const results = await measureAll({
  bare: () => work(),
  full: () => nines.execute(work),
  light: () => ninesNoTimers.execute(work),
  peer: () => cockatiel.execute(work),
  peerLight: () => cockatielNoTimers.execute(work),
});
const { bare, full, light, peer, peerLight } = results as Record<
  "bare" | "full" | "light" | "peer" | "peerLight",
  number
>;

const fmt = (ns: number) => `${(ns / 1000).toFixed(3)} µs`;
const ratio = (a: number, b: number) => `${((a - bare) / (b - bare)).toFixed(3)}×`;
console.log("| call | time per call | added vs bare | added vs cockatiel's equivalent |");
console.log("| --- | --- | --- | --- |");
console.log(`| bare \`await fn()\` | ${fmt(bare)} | — | — |`);
console.log(
  `| nines: deadline 5 s ▸ budget ▸ breaker ▸ retry ▸ timeout 2 s, 1 listener | ${fmt(full)} | ${fmt(full - bare)} | ${ratio(full, peer)} |`,
);
console.log(
  `| cockatiel: wrap(timeout 5 s, breaker, retry, timeout 2 s) | ${fmt(peer)} | ${fmt(peer - bare)} | 1× |`,
);
console.log(
  `| nines: budget ▸ breaker ▸ retry (no deadline/timeout) | ${fmt(light)} | ${fmt(light - bare)} | ${ratio(light, peerLight)} |`,
);
console.log(`| cockatiel: wrap(breaker, retry) | ${fmt(peerLight)} | ${fmt(peerLight - bare)} | 1× |`);
console.log(
  `nines full policy added per call: ${fmt(full - bare)} (target ≤ 1 µs); cockatiel's: ${fmt(peer - bare)} (its timeout policy dominates)`,
);
