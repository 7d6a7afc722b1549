/**
 * Deterministic simulations on virtual time (seeded), printed as markdown tables:
 * (1) Brooker's OCC contention experiment ("Exponential Backoff And Jitter", AWS Architecture
 *     Blog): N clients each update one row once with read + conditional write; compare jitters.
 * (2) A cascading failure: a backend failing 100% for 60 s behind 3 layers of clients; retry
 *     amplification with naive per-layer retries vs nines' retry budget + don't-retry marker
 *     (SRE book ch. 22).
 * cockatiel and p-retry run the same scenarios. Neither takes a clock or a random source, so
 * they run with `setTimeout`, `clearTimeout`, `Date.now` and `Math.random` swapped for the
 * virtual clock and the seeded PRNG while their part runs.
 * Run: npx tsx bench/resilience-sim.bench.ts
 */
import {
  ConsecutiveBreaker,
  circuitBreaker,
  retry as cockatielRetry,
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  fullJitterGenerator,
  type GeneratorFn,
  halfJitterGenerator,
  handleAll,
  handleWhenResult,
  noJitterGenerator,
  wrap,
} from "cockatiel";
import pRetry from "p-retry";
import {
  CircuitBreaker,
  createPolicy,
  createRatioBudget,
  createTokenBucketBudget,
  hasNoRetryMarker,
  type Jitter,
  mulberry32,
  NO_RETRY_HEADER,
  type RandomSource,
  type RetryBudget,
  retry,
  sleep,
  VirtualClock,
} from "../src/resilience/index.js";

const SEED = 20_151_004;

function gaussian(random: RandomSource, mean: number, sd: number): number {
  const u = 1 - random();
  const v = random();
  return Math.abs(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

/** Runs `body` with the global timer functions, Date.now and Math.random on virtual time and a seeded PRNG. */
async function withVirtualGlobals<T>(
  clock: VirtualClock,
  random: RandomSource,
  body: () => Promise<T>,
): Promise<T> {
  const saved = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    dateNow: Date.now,
    random: Math.random,
  };
  type Handle = { cancel: () => void; ref(): Handle; unref(): Handle; hasRef(): boolean };
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: Handle = {
      cancel: clock.setTimer(ms ?? 0, () => callback(...args)),
      ref: () => handle,
      unref: () => handle,
      hasRef: () => true,
    };
    return handle;
  }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Handle | undefined) => handle?.cancel()) as typeof clearTimeout;
  Date.now = () => 1_700_000_000_000 + Math.floor(clock.now());
  Math.random = random;
  try {
    return await body();
  } finally {
    globalThis.setTimeout = saved.setTimeout;
    globalThis.clearTimeout = saved.clearTimeout;
    Date.now = saved.dateNow;
    Math.random = saved.random;
  }
}

// ---------------------------------------------------------------------------------------------
// (1) Brooker's experiment: network delay N(10 ms, 2 ms), base 5 ms, cap 2 s. His simulator's
// exponential kinds sleep base × 2^n from n = 1 (first sleep 10 ms), so they use a 10 ms first
// delay here; decorrelated jitter starts from the 5 ms base as in his code.

interface Occ {
  version: number;
  calls: number;
}

/** One read + conditional write; true when the write won. */
async function occAttempt(clock: VirtualClock, random: RandomSource, row: Occ): Promise<boolean> {
  await sleep(clock, gaussian(random, 10, 2));
  const seen = row.version;
  await sleep(clock, gaussian(random, 10, 2));
  await sleep(clock, gaussian(random, 10, 2));
  row.calls++;
  const won = row.version === seen;
  if (won) row.version++;
  await sleep(clock, gaussian(random, 10, 2));
  return won;
}

type ClientFactory = (clock: VirtualClock, random: RandomSource, row: Occ) => () => Promise<unknown>;

const FIRST_DELAY_MS = 10;

const ninesClient =
  (jitter: Jitter, baseMs: number): ClientFactory =>
  (clock, random, row) =>
  () =>
    retry(() => occAttempt(clock, random, row), {
      clock,
      random,
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: { jitter, baseMs, capMs: 2000 },
      classify: (o) => ({ retry: o.ok && !o.value }),
    });

const cockatielClient =
  // biome-ignore lint/suspicious/noExplicitAny: cockatiel's generators differ in their state type
    (generator: GeneratorFn<any>): ClientFactory =>
    (clock, random, row) => {
      const policy = cockatielRetry(
        handleWhenResult((won) => won === false),
        {
          maxAttempts: Number.POSITIVE_INFINITY,
          backoff: new ExponentialBackoff({ initialDelay: FIRST_DELAY_MS, maxDelay: 2000, generator }),
        },
      );
      return () => policy.execute(() => occAttempt(clock, random, row));
    };

const pRetryClient =
  (randomize: boolean): ClientFactory =>
  (clock, random, row) =>
  () =>
    pRetry(
      async () => {
        if (!(await occAttempt(clock, random, row))) throw new Error("conflict");
      },
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: FIRST_DELAY_MS,
        maxTimeout: 2000,
        factor: 2,
        randomize,
      },
    );

const CLIENT_COUNTS = [10, 25, 50, 75, 100];
const RUNS = 10;

async function brooker(factory: ClientFactory, clients: number, peer: boolean) {
  let calls = 0;
  let time = 0;
  for (let run = 0; run < RUNS; run++) {
    const clock = new VirtualClock();
    const random = mulberry32(SEED + clients * 1000 + run);
    const row: Occ = { version: 0, calls: 0 };
    let finished = 0;
    const body = async () => {
      const all = Array.from({ length: clients }, () => {
        const client = factory(clock, random, row);
        return client().then(() => {
          finished = Math.max(finished, clock.now());
        });
      });
      await clock.runAll();
      await Promise.all(all);
    };
    if (peer) await withVirtualGlobals(clock, random, body);
    else await body();
    if (row.version !== clients) throw new RangeError(`only ${row.version}/${clients} clients finished`);
    calls += row.calls;
    time += finished;
  }
  return { calls: calls / RUNS, timeMs: time / RUNS };
}

const brookerRows: { label: string; factory: ClientFactory; peer: boolean }[] = [
  { label: "nines, no backoff", factory: ninesClient("none", 0), peer: false },
  { label: "nines, exponential, no jitter", factory: ninesClient("none", FIRST_DELAY_MS), peer: false },
  { label: "nines, full jitter", factory: ninesClient("full", FIRST_DELAY_MS), peer: false },
  { label: "nines, equal jitter", factory: ninesClient("equal", FIRST_DELAY_MS), peer: false },
  { label: "nines, decorrelated jitter", factory: ninesClient("decorrelated", 5), peer: false },
  { label: "cockatiel, noJitterGenerator", factory: cockatielClient(noJitterGenerator), peer: true },
  { label: "cockatiel, fullJitterGenerator", factory: cockatielClient(fullJitterGenerator), peer: true },
  {
    label: "cockatiel, halfJitterGenerator (equal)",
    factory: cockatielClient(halfJitterGenerator),
    peer: true,
  },
  {
    label: "cockatiel, decorrelatedJitterGenerator (Polly v2)",
    factory: cockatielClient(decorrelatedJitterGenerator),
    peer: true,
  },
  { label: "p-retry, randomize: false", factory: pRetryClient(false), peer: true },
  { label: "p-retry, randomize: true (×[1, 2))", factory: pRetryClient(true), peer: true },
];

const started = performance.now();
console.log(`## (1) Brooker's OCC contention experiment (seed ${SEED}, mean of ${RUNS} runs per cell)\n`);
const results = new Map<string, { calls: number; timeMs: number }[]>();
for (const row of brookerRows) {
  const cells = [];
  for (const n of CLIENT_COUNTS) cells.push(await brooker(row.factory, n, row.peer));
  results.set(row.label, cells);
}
const header = `| strategy | ${CLIENT_COUNTS.map((n) => `calls @${n}`).join(" | ")} | ${CLIENT_COUNTS.map((n) => `time @${n}`).join(" | ")} |`;
console.log("### Total calls (work) and completion time (virtual ms)\n");
console.log(header);
console.log(
  `| --- | ${CLIENT_COUNTS.map(() => "---").join(" | ")} | ${CLIENT_COUNTS.map(() => "---").join(" | ")} |`,
);
for (const [label, cells] of results) {
  console.log(
    `| ${label} | ${cells.map((c) => c.calls.toFixed(0)).join(" | ")} | ${cells.map((c) => c.timeMs.toFixed(0)).join(" | ")} |`,
  );
}
const last = CLIENT_COUNTS.length - 1;
const expCalls = results.get("nines, exponential, no jitter")![last]!.calls;
console.log(`\nWork at ${CLIENT_COUNTS[last]} clients relative to plain exponential backoff (nines):`);
for (const label of ["nines, full jitter", "nines, equal jitter", "nines, decorrelated jitter"]) {
  const calls = results.get(label)![last]!.calls;
  console.log(
    `- ${label}: ${calls.toFixed(0)} calls = ${(calls / expCalls).toFixed(2)}× of ${expCalls.toFixed(0)} (cut ${((1 - calls / expCalls) * 100).toFixed(0)}%)`,
  );
}

// ---------------------------------------------------------------------------------------------
// (2) Cascading failure: 3 layers of clients in front of a backend that answers 503 to
// everything for 60 s. 10 original requests per second arrive at the top layer.

class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.headers = headers;
  }
}

const OUTAGE_MS = 60_000;
const RATE_PER_SECOND = 10;
const LAYERS = 3;
const HOP_MS = 1;
const BACKEND_MS = 5;

/** A layer's outgoing call: (call the next hop) => result, with whatever retry it uses. */
type LayerCaller = (layer: number, next: () => Promise<void>) => Promise<void>;

interface CascadeSetup {
  readonly label: string;
  readonly peer: boolean;
  readonly make: (clock: VirtualClock, random: RandomSource) => LayerCaller;
}

/** A server turns its caller's failure into an HTTP 503, passing the don't-retry marker on as a header. */
function asResponseError(error: unknown): HttpError {
  return new HttpError(503, hasNoRetryMarker(error) ? { [NO_RETRY_HEADER]: "1" } : {});
}

async function cascade(setup: CascadeSetup) {
  const clock = new VirtualClock();
  const random = mulberry32(SEED);
  let backendCalls = 0;
  const latencies: number[] = [];
  const body = async () => {
    const caller = setup.make(clock, random);
    const backend = async () => {
      await sleep(clock, BACKEND_MS);
      backendCalls++;
      throw new HttpError(503);
    };
    const serve = async (layer: number): Promise<void> => {
      const next = layer === LAYERS ? backend : () => serve(layer + 1);
      try {
        await caller(layer, async () => {
          await sleep(clock, HOP_MS);
          try {
            await next();
          } finally {
            await sleep(clock, HOP_MS);
          }
        });
      } catch (error) {
        throw asResponseError(error);
      }
    };
    const originals = OUTAGE_MS / (1000 / RATE_PER_SECOND);
    const done: Promise<void>[] = [];
    for (let i = 0; i < originals; i++) {
      clock.setTimer(i * (1000 / RATE_PER_SECOND), () => {
        const start = clock.now();
        done.push(
          serve(1).then(
            () => {},
            () => {
              latencies.push(clock.now() - start);
            },
          ),
        );
      });
    }
    await clock.runAll();
    await Promise.all(done);
    return originals;
  };
  const originals = setup.peer ? await withVirtualGlobals(clock, random, body) : await body();
  latencies.sort((a, b) => a - b);
  return {
    originals,
    backendCalls,
    amplification: backendCalls / originals,
    meanFailMs: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p99FailMs: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}

const BACKOFF = { jitter: "full", baseMs: 50, capMs: 1000 } as const;

function ninesLayers(budgetFor: (() => RetryBudget) | undefined, marker: boolean, withBreaker = false) {
  return (clock: VirtualClock, random: RandomSource): LayerCaller => {
    const policies = Array.from({ length: LAYERS + 1 }, (_, layer) =>
      createPolicy({
        name: `layer-${layer}`,
        maxAttempts: 3,
        backoff: BACKOFF,
        ...(budgetFor === undefined ? {} : { budget: budgetFor() }),
        ...(withBreaker
          ? {
              breaker: new CircuitBreaker({
                name: `layer-${layer}`,
                strategy: { kind: "consecutive", threshold: 5 },
                halfOpenAfterMs: 5000,
                clock,
              }),
            }
          : {}),
        markExhausted: marker,
        // Without the marker convention, a layer ignores the header and retries any 503.
        ...(marker ? {} : { classify: (o) => ({ retry: !o.ok }) }),
        clock,
        random,
      }),
    );
    return (layer, next) => policies[layer]!.execute(next);
  };
}

const cascadeSetups: CascadeSetup[] = [
  {
    label: "naive: 3 attempts at every layer (nines retry, no budget, no marker)",
    peer: false,
    make: ninesLayers(undefined, false),
  },
  { label: "nines: don't-retry marker only", peer: false, make: ninesLayers(undefined, true) },
  {
    label: "nines: token-bucket budget only (10 tokens, ratio 0.1)",
    peer: false,
    make: ninesLayers(() => createTokenBucketBudget(), false),
  },
  {
    label: "**nines: token-bucket budget + don't-retry marker**",
    peer: false,
    make: ninesLayers(() => createTokenBucketBudget(), true),
  },
  {
    label: "nines: budget + marker + ConsecutiveBreaker(5), half-open after 5 s",
    peer: false,
    make: ninesLayers(() => createTokenBucketBudget(), true, true),
  },
  {
    label: "nines: ratio budget 5% + 0.5/s floor + marker",
    peer: false,
    make: (clock, random) =>
      ninesLayers(() => createRatioBudget({ percentCanRetry: 0.05, minRetriesPerSecond: 0.5, clock }), true)(
        clock,
        random,
      ),
  },
  {
    label: "cockatiel: retry (maxAttempts 2) at every layer",
    peer: true,
    make: () => {
      const policies = Array.from({ length: LAYERS + 1 }, () =>
        cockatielRetry(handleAll, {
          maxAttempts: 2,
          backoff: new ExponentialBackoff({
            initialDelay: 50,
            maxDelay: 1000,
            generator: fullJitterGenerator,
          }),
        }),
      );
      return (layer, next) => policies[layer]!.execute(next);
    },
  },
  {
    label: "cockatiel: retry + ConsecutiveBreaker(5), halfOpenAfter 5 s, at every layer",
    peer: true,
    make: () => {
      const policies = Array.from({ length: LAYERS + 1 }, () =>
        wrap(
          cockatielRetry(handleAll, {
            maxAttempts: 2,
            backoff: new ExponentialBackoff({
              initialDelay: 50,
              maxDelay: 1000,
              generator: fullJitterGenerator,
            }),
          }),
          circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(5) }),
        ),
      );
      return (layer, next) => policies[layer]!.execute(next);
    },
  },
  {
    label: "p-retry: retries 2 at every layer",
    peer: true,
    make: () => (_layer, next) =>
      pRetry(next, { retries: 2, minTimeout: 50, maxTimeout: 1000, randomize: true }),
  },
  {
    label: "p-retry: retries 2 + shouldRetry reading the don't-retry header",
    peer: true,
    make: () => (_layer, next) =>
      pRetry(
        async () => {
          try {
            await next();
          } catch (error) {
            // Mark what this layer gave up on, like nines does, so the server passes the header on.
            throw Object.assign(error as object, { noRetry: true });
          }
        },
        {
          retries: 2,
          minTimeout: 50,
          maxTimeout: 1000,
          randomize: true,
          shouldRetry: ({ error }) =>
            (error as { headers?: Record<string, string> }).headers?.[NO_RETRY_HEADER] !== "1",
        },
      ),
  },
];

console.log(
  `\n## (2) Cascading failure: backend 100% failing for ${OUTAGE_MS / 1000} s behind ${LAYERS} layers, ${RATE_PER_SECOND} original requests/s\n`,
);
console.log(
  "| client setup at every layer | backend requests | per original request (amplification) | mean time to fail | p99 time to fail |",
);
console.log("| --- | --- | --- | --- | --- |");
let naive = 0;
let best = 0;
for (const setup of cascadeSetups) {
  const r = await cascade(setup);
  if (setup.label.startsWith("naive")) naive = r.amplification;
  if (setup.label.includes("budget + don't-retry")) best = r.amplification;
  console.log(
    `| ${setup.label} | ${r.backendCalls} | ${r.amplification.toFixed(3)}× | ${r.meanFailMs.toFixed(0)} ms | ${r.p99FailMs.toFixed(0)} ms |`,
  );
}
console.log(
  `\nnines budget + marker: ${best.toFixed(3)}× (target ≤ 1.1×) vs naive ${naive.toFixed(2)}× (target ≥ 3×): ratio ${(naive / best).toFixed(1)}× fewer backend requests`,
);
console.log(`\n(simulated in ${((performance.now() - started) / 1000).toFixed(1)} s of real time)`);
