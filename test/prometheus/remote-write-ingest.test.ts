import { describe, expect, it } from "vitest";
import { decodeRemoteWrite } from "../../src/prometheus/remote-write/decode-write-request.js";
import { encodeRemoteWrite } from "../../src/prometheus/remote-write/encode-write-request.js";
import { RemoteWriteIngest } from "../../src/prometheus/remote-write/remote-write-ingest.js";
import { remoteWriteTarget } from "../../src/prometheus/remote-write/remote-write-targets.js";
import type { RemoteWriteSeries } from "../../src/prometheus/remote-write/write-request.js";
import type { Slo } from "../../src/slo/model.js";
import { makeSlo } from "./support/slo-factory.js";

const NOW = Date.UTC(2025, 0, 10, 12);
const T0 = NOW - 600_000;

function ratioSlo(overrides: Partial<Slo> = {}): Slo {
  return makeSlo({
    source: {
      kind: "prometheus",
      url: "http://127.0.0.1:9090",
      eventsQuery: 'sum(increase(http_requests_total{code=~"5.."}[{{window}}]))',
      totalQuery: "sum by (job) (increase(http_requests_total[{{window}}]))",
      headers: {},
      selector: '{job="api"}',
    },
    ...overrides,
  });
}

const specs = (...slos: Slo[]) => new Map(slos.map((s) => [s.id, s]));

function series(labels: Record<string, string>, points: [number, number][]): RemoteWriteSeries {
  return { labels, samples: points.map(([ts, value]) => ({ timestampMs: ts, value })) };
}

const ok = (code: string) => ({ __name__: "http_requests_total", job: "api", code, instance: "a:1" });

function run(ingest: RemoteWriteIngest, slos: Map<string, Slo>, timeseries: RemoteWriteSeries[], now = NOW) {
  const plan = ingest.plan({ timeseries }, slos, now);
  plan.commit();
  return plan;
}

describe("remote-write targets", () => {
  it("derives the events and total selectors from the queries and adds the selector's label matchers", () => {
    const result = remoteWriteTarget(ratioSlo());
    expect(result).toMatchObject({
      ok: true,
      target: {
        sloId: "api/availability",
        events: "bad",
        eventsSide: { kind: "counter", selector: { text: 'http_requests_total{code=~"5..",job="api"}' } },
        totalSide: { kind: "counter", selector: { text: 'http_requests_total{job="api"}' } },
      },
    });
  });

  it("reads a latency SLI's threshold bucket and _count with {{threshold}} filled in", () => {
    const slo = makeSlo({
      sli: { kind: "latency", thresholdSeconds: 0.3, buckets: [0.1, 0.3, 1] },
      source: {
        kind: "prometheus",
        url: "http://127.0.0.1:9090",
        eventsQuery: 'increase(http_request_duration_seconds_bucket{le="{{threshold}}"}[{{window}}])',
        totalQuery: "increase(http_request_duration_seconds_count[{{window}}])",
        headers: {},
        selector: 'anything{job="api"}',
      },
    });
    expect(remoteWriteTarget(slo)).toMatchObject({
      ok: true,
      target: {
        events: "good",
        eventsSide: { selector: { text: 'http_request_duration_seconds_bucket{le="0.3",job="api"}' } },
        totalSide: { selector: { text: 'http_request_duration_seconds_count{job="api"}' } },
      },
    });
  });

  it("names the problem when an SLO cannot take remote-write series", () => {
    const problem = (slo: Slo) => {
      const r = remoteWriteTarget(slo);
      return r.ok ? "" : r.problem;
    };
    expect(problem(makeSlo())).toBe("source.prometheus.selector is not set");
    expect(problem(makeSlo({ source: { kind: "push" } }))).toMatch(/source is push/);
    const withQuery = (eventsQuery: string, selector = '{job="api"}') =>
      ratioSlo({
        source: {
          kind: "prometheus",
          url: "http://x",
          eventsQuery,
          totalQuery: "increase(t[{{window}}])",
          headers: {},
          selector,
        },
      });
    expect(problem(withQuery("sum(increase(a[{{window}}])) / 2"))).toMatch(
      /^source.prometheus.eventsQuery: .*only sum/,
    );
    expect(problem(withQuery("increase(a[{{window}}]) + increase(b[{{window}}])"))).toMatch(/exactly one/);
    expect(problem(withQuery("max_over_time(a[{{window}}])"))).toMatch(/inside increase\(\)/);
    expect(problem(withQuery('increase(a{b=~"("}[{{window}}])'))).toMatch(/bad regular expression/);
    expect(problem(withQuery("increase(a[{{window}}])", "{job=}"))).toMatch(/^source.prometheus.selector:/);
  });
});

describe("remote-write ingest", () => {
  it("turns counters into interval increments, the first sample being the baseline", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const plan = run(ingest, specs(ratioSlo()), [
      series(ok("200"), [
        [T0, 1000],
        [T0 + 15_000, 1099],
        [T0 + 30_000, 1198],
      ]),
      series(ok("500"), [
        [T0, 10],
        [T0 + 15_000, 11],
        [T0 + 30_000, 13],
      ]),
    ]);
    expect(plan.samples).toEqual([
      { sloId: "api/availability", ts: T0 + 15_000, good: 99, total: 100 },
      { sloId: "api/availability", ts: T0 + 30_000, good: 99, total: 101 },
    ]);
    expect(plan.counts).toMatchObject({ stored: 6, unmatched: 0 });
  });

  it("counts a counter reset from zero and drops resent samples", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const slos = specs(ratioSlo());
    run(ingest, slos, [series(ok("200"), [[T0, 500]])]);
    const plan = run(ingest, slos, [
      series(ok("200"), [
        [T0, 500],
        [T0 + 15_000, 600],
        [T0 + 30_000, 40],
        [T0 + 45_000, 90],
      ]),
    ]);
    expect(plan.samples.map((s) => s.total)).toEqual([100, 40, 50]);
    expect(plan.samples.every((s) => s.good === s.total)).toBe(true);
    expect(plan.counts).toMatchObject({ stored: 3, out_of_order: 1 });
  });

  it("counts series no SLO selects as unmatched, and skips staleness markers", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const plan = run(ingest, specs(ratioSlo()), [
      series({ __name__: "up", job: "api" }, [[T0, 1]]),
      series({ ...ok("200"), job: "web" }, [[T0, 1]]),
      series(ok("200"), [
        [T0, 1],
        [T0 + 1000, Number.NaN],
      ]),
    ]);
    expect(plan.counts).toEqual({ stored: 1, unmatched: 2, out_of_order: 0, out_of_range: 0, stale: 1 });
  });

  it("drops samples outside the retention or too far in the future", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 3_600_000 });
    const plan = run(ingest, specs(ratioSlo()), [
      series(ok("200"), [
        [NOW - 2 * 3_600_000, 1],
        [NOW + 3_600_000, 2],
      ]),
    ]);
    expect(plan.counts.out_of_range).toBe(2);
    expect(plan.samples).toEqual([]);
  });

  it("holds a scrape's total until its good events arrive in a later request, so a split batch never reads as errors", () => {
    const slo = ratioSlo({ sli: { kind: "ratio", count: "good" } });
    const slos = specs(
      ratioSlo({
        ...slo,
        source: {
          kind: "prometheus",
          url: "http://x",
          eventsQuery: 'sum(increase(http_requests_total{code!~"5.."}[{{window}}]))',
          totalQuery: "sum(increase(http_requests_total[{{window}}]))",
          headers: {},
          selector: '{job="api"}',
        },
      }),
    );
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    run(ingest, slos, [series(ok("200"), [[T0, 0]]), series(ok("500"), [[T0, 0]])]);
    // The 500 series (total only) arrives first; the 200 series (good and total) a request later.
    const now = T0 + 20_000;
    const first = run(ingest, slos, [series(ok("500"), [[T0 + 15_000, 1]])], now);
    expect(first.samples).toEqual([]);
    const second = run(ingest, slos, [series(ok("200"), [[T0 + 15_000, 99]])], now);
    expect(second.samples).toEqual([{ sloId: "api/availability", ts: T0 + 15_000, good: 99, total: 100 }]);
  });

  it("stores a held scrape alone once it is older than the hold time", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000, holdMs: 60_000 });
    const slos = specs(ratioSlo());
    run(ingest, slos, [series(ok("500"), [[T0, 0]]), series(ok("200"), [[T0, 0]])]);
    expect(run(ingest, slos, [series(ok("200"), [[T0 + 15_000, 10]])], T0 + 20_000).samples).toEqual([]);
    const later = run(ingest, slos, [], T0 + 15_000 + 61_000);
    expect(later.samples).toEqual([{ sloId: "api/availability", ts: T0 + 15_000, good: 10, total: 10 }]);
  });

  it("leaves its state untouched when the plan is not committed, so a retried request counts once", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const slos = specs(ratioSlo());
    run(ingest, slos, [series(ok("200"), [[T0, 0]])]);
    const body = [series(ok("200"), [[T0 + 15_000, 7]])];
    const failed = ingest.plan({ timeseries: body }, slos, NOW);
    expect(failed.samples).toHaveLength(1);
    const retried = run(ingest, slos, body);
    expect(retried.samples).toEqual(failed.samples);
    expect(run(ingest, slos, body).samples).toEqual([]);
  });

  it("plans a batch of requests as if each had been committed before the next, and commits them together", () => {
    const slos = specs(ratioSlo());
    const first = [series(ok("200"), [[T0, 0]]), series(ok("500"), [[T0, 0]])];
    const second = [series(ok("200"), [[T0 + 15_000, 90]]), series(ok("500"), [[T0 + 15_000, 10]])];
    const third = [series(ok("200"), [[T0 + 30_000, 100]]), series(ok("500"), [[T0 + 30_000, 5]])];
    const oneByOne = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const expected = [first, second, third].flatMap((body) => run(oneByOne, slos, body).samples);

    const batched = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const failed = batched.begin(slos, NOW);
    for (const body of [first, second, third]) failed.add({ timeseries: body });
    expect(failed.samples).toEqual(expected);
    // Never committed (the write failed): the retried requests count once.
    const batch = batched.begin(slos, NOW);
    const counts = [first, second, third].map((body) => batch.add({ timeseries: body }).counts);
    expect(batch.samples).toEqual(expected);
    expect(counts.map((c) => c.stored)).toEqual([2, 2, 2]);
    batch.commit();
    expect(run(batched, slos, third).counts).toMatchObject({ stored: 0, out_of_order: 2 });
    expect(expected.map((s) => [s.good, s.total])).toEqual([
      [90, 100],
      [10, 15], // the 5xx counter reset from 10 to 5: 5 bad requests
    ]);
  });

  it("forgets a counter not seen for an hour: its next sample is a baseline again, even from the same label set", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000, forgetAfterMs: 3_600_000 });
    const slos = specs(ratioSlo());
    const labels = Object.freeze(ok("200"));
    const hour = 3_600_000;
    run(ingest, slos, [series(labels, [[T0, 100]])]);
    expect(run(ingest, slos, [series(labels, [[T0 + 15_000, 130]])]).samples).toEqual([
      { sloId: "api/availability", ts: T0 + 15_000, good: 30, total: 30 },
    ]);
    // Another series keeps the SLO busy two hours later; the first one is forgotten then.
    run(ingest, slos, [series(ok("500"), [[T0 + 2 * hour, 0]])], NOW + 2 * hour);
    const back = run(ingest, slos, [series(labels, [[T0 + 2 * hour + 15_000, 500]])], NOW + 2 * hour);
    expect(back.counts.stored).toBe(1);
    expect(back.samples).toEqual([]);
  });

  it("keeps each ingest's counters apart when they read the same decoded (interned) label sets", () => {
    const slos = specs(ratioSlo());
    const body = (ts: number, value: number) =>
      decodeRemoteWrite(
        encodeRemoteWrite({ timeseries: [{ labels: ok("200"), samples: [{ timestampMs: ts, value }] }] }),
      );
    const a = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const b = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const step = (ingest: RemoteWriteIngest, ts: number, value: number) => {
      const plan = ingest.plan(body(ts, value), slos, NOW);
      plan.commit();
      return plan.samples.map((s) => s.total);
    };
    expect(step(a, T0, 100)).toEqual([]);
    expect(step(a, T0 + 15_000, 110)).toEqual([10]);
    // b has seen nothing yet: its first sample is a baseline, whatever a read before it.
    expect(step(b, T0 + 15_000, 500)).toEqual([]);
    expect(step(a, T0 + 30_000, 130)).toEqual([20]);
    expect(step(b, T0 + 30_000, 520)).toEqual([20]);
  });

  it("refuses to commit a batch once a newer one has begun", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const slos = specs(ratioSlo());
    const stale = ingest.begin(slos, NOW);
    stale.add({ timeseries: [series(ok("200"), [[T0, 0]])] });
    const newer = ingest.begin(slos, NOW);
    newer.add({ timeseries: [series(ok("200"), [[T0, 5]])] });
    expect(() => stale.commit()).toThrow("before the next one begins");
    newer.commit();
    expect(run(ingest, slos, [series(ok("200"), [[T0 + 15_000, 8]])]).samples).toEqual([
      { sloId: "api/availability", ts: T0 + 15_000, good: 3, total: 3 },
    ]);
  });

  it("finds the routes of an interned label set again after the SLOs change", () => {
    const ingest = new RemoteWriteIngest({ retentionMs: 86_400_000 });
    const labels = Object.freeze(ok("200"));
    expect(run(ingest, specs(ratioSlo()), [series(labels, [[T0, 0]])]).counts.stored).toBe(1);
    const other = ratioSlo({ id: "api/other", name: "other" });
    const plan = run(ingest, specs(other), [series(labels, [[T0 + 15_000, 5]])]);
    expect(plan.counts.stored).toBe(1);
    expect(ingest.targets(specs(other)).map((t) => (t.ok ? t.target.sloId : t.sloId))).toEqual(["api/other"]);
  });

  it("feeds one series to every SLO that selects it", () => {
    const a = ratioSlo();
    const b = ratioSlo({ id: "api/other", name: "other" });
    const plan = run(new RemoteWriteIngest({ retentionMs: 86_400_000 }), specs(a, b), [
      series(ok("500"), [
        [T0, 0],
        [T0 + 1000, 5],
      ]),
    ]);
    expect(plan.samples.map((s) => [s.sloId, s.good, s.total])).toEqual([
      ["api/availability", 0, 5],
      ["api/other", 0, 5],
    ]);
  });

  it("adds sum_over_time series' values as counts per interval", () => {
    const slo = ratioSlo({
      source: {
        kind: "prometheus",
        url: "http://x",
        eventsQuery: "sum(sum_over_time(job:errors:count1m[{{window}}]))",
        totalQuery: "sum(sum_over_time(job:requests:count1m[{{window}}]))",
        headers: {},
        selector: '{job="api"}',
      },
    });
    const plan = run(new RemoteWriteIngest({ retentionMs: 86_400_000 }), specs(slo), [
      series({ __name__: "job:errors:count1m", job: "api" }, [[T0, 2]]),
      series({ __name__: "job:requests:count1m", job: "api" }, [[T0, 50]]),
    ]);
    expect(plan.samples).toEqual([{ sloId: "api/availability", ts: T0, good: 48, total: 50 }]);
  });
});
