import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createSilence,
  defaultRoutingConfig,
  EMPTY_GROUPING_STATE,
  expireSilence,
  type GroupingState,
  type GroupNotification,
  parseRoutingConfig,
  type RoutingConfig,
  type Signal,
  type Silence,
  stepGrouping,
} from "../../src/signals/index.js";

const T = Date.parse("2026-03-25T10:00:00Z");
const S = 1000;
const M = 60 * S;
const H = 60 * M;

const slo = (fingerprint: string, overrides: Partial<Signal> = {}): Signal => ({
  source: "slo",
  service: "checkout",
  title: "ErrorBudgetBurn",
  severity: "page",
  labels: { slo: fingerprint },
  fingerprint,
  links: [],
  startsAt: T,
  ...overrides,
});

/** Drives the state machine through steps and collects every notification. */
class Driver {
  state: GroupingState = EMPTY_GROUPING_STATE;
  sent: GroupNotification[] = [];
  constructor(
    readonly config: RoutingConfig,
    public silences: Silence[] = [],
  ) {}
  step(now: number, signals: Signal[] = []): GroupNotification[] {
    const out = stepGrouping(this.config, this.state, { now, signals, silences: this.silences });
    this.state = out.state;
    this.sent.push(...out.notifications);
    return [...out.notifications];
  }
}

const firingOf = (n: GroupNotification | undefined) => n?.firing.map((a) => a.fingerprint) ?? [];
const resolvedOf = (n: GroupNotification | undefined) => n?.resolved.map((a) => a.fingerprint) ?? [];

describe("grouping", () => {
  it("waits group_wait (30 s) and sends both alerts of the group in one notification", () => {
    const d = new Driver(defaultRoutingConfig());
    expect(d.step(T, [slo("availability")])).toEqual([]);
    expect(d.step(T + 10 * S, [slo("latency")])).toEqual([]);
    expect(d.step(T + 29 * S)).toEqual([]);
    const [n, ...rest] = d.step(T + 30 * S);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({ outcome: "page", route: { name: "slo-page" }, kind: "changed" });
    expect(n?.groupLabels).toEqual({ alertname: "ErrorBudgetBurn", service: "checkout" });
    expect(firingOf(n).sort()).toEqual(["availability", "latency"]);
  });

  it("deduplicates repeats of a fingerprint and stays quiet while nothing changes", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [slo("availability")]);
    d.step(T + 30 * S);
    d.step(T + 40 * S, [slo("availability")]);
    d.step(T + 60 * S, [slo("availability")]);
    expect(d.step(T + 330 * S)).toEqual([]);
    expect(d.state.groups[0]?.alerts).toHaveLength(1);
    expect(d.state.groups[0]?.alerts[0]?.received).toBe(3);
  });

  it("adds a late alert at the next group_interval flush, not before", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [slo("availability")]);
    d.step(T + 30 * S);
    expect(d.step(T + 60 * S, [slo("latency")])).toEqual([]);
    expect(d.step(T + 329 * S)).toEqual([]);
    expect(firingOf(d.step(T + 330 * S)[0]).sort()).toEqual(["availability", "latency"]);
  });

  it("repeats an unchanged notification after repeat_interval (4 h)", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [slo("availability")]);
    d.step(T + 30 * S);
    expect(d.step(T + 30 * S + 4 * H - 5 * M)).toEqual([]);
    const [n] = d.step(T + 30 * S + 4 * H);
    expect(n?.kind).toBe("repeat");
  });

  it("announces a resolved alert once and closes the empty group", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [slo("availability"), slo("latency")]);
    d.step(T + 30 * S);
    d.step(T + 100 * S, [slo("availability", { endsAt: T + 100 * S })]);
    const [n] = d.step(T + 330 * S);
    expect(firingOf(n)).toEqual(["latency"]);
    expect(resolvedOf(n)).toEqual(["availability"]);
    d.step(T + 400 * S, [slo("latency", { endsAt: T + 400 * S })]);
    const out = stepGrouping(d.config, d.state, { now: T + 630 * S });
    expect(resolvedOf(out.notifications[0])).toEqual(["latency"]);
    expect(out.state.groups).toEqual([]);
    expect(out.nextTickAt).toBeNull();
  });

  it("holds a ticket while a page fires for the same service, then sends it", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [slo("burn-fast"), slo("burn-slow", { severity: "ticket", title: "SlowBurn" })]);
    const first = d.step(T + 30 * S);
    expect(first.map((n) => n.outcome)).toEqual(["page"]);
    const held = stepGrouping(d.config, d.state, { now: T + 30 * S }).state.groups.find(
      (g) => g.routePath === "route.routes[1]",
    );
    expect(held?.notifiedFiring).toEqual([]);
    d.step(T + 60 * S, [slo("burn-fast", { endsAt: T + 60 * S })]);
    const later = d.step(T + 330 * S);
    expect(later.map((n) => [n.outcome, firingOf(n), resolvedOf(n)])).toEqual([
      ["page", [], ["burn-fast"]],
      ["ticket", ["burn-slow"], []],
    ]);
  });

  it("does not let a page for another service hold a ticket", () => {
    const d = new Driver(defaultRoutingConfig());
    d.step(T, [
      slo("burn-fast", { service: "search" }),
      slo("burn-slow", { severity: "ticket", title: "SlowBurn" }),
    ]);
    expect(
      d
        .step(T + 30 * S)
        .map((n) => n.outcome)
        .sort(),
    ).toEqual(["page", "ticket"]);
  });

  it("mutes silenced alerts and sends them once the silence is expired", () => {
    const silence = createSilence({
      id: "s1",
      matchers: ['service="checkout"'],
      startsAt: T,
      endsAt: T + 2 * H,
      createdBy: "ana",
      comment: "migrating the database",
    });
    const d = new Driver(defaultRoutingConfig(), [silence]);
    d.step(T, [slo("availability")]);
    expect(d.step(T + 30 * S)).toEqual([]);
    d.silences = [expireSilence(silence, T + 100 * S)];
    expect(firingOf(d.step(T + 330 * S)[0])).toEqual(["availability"]);
  });

  it("mutes a service's alerts inside its maintenance window", () => {
    const config = parseRoutingConfig({
      route: { routes: [{ name: "all-pages", matchers: ["severity=page"], classify: "page" }] },
      maintenanceWindows: [
        {
          id: "upgrade",
          service: "checkout",
          timeZone: "Europe/Berlin",
          start: "2026-03-25T10:00",
          end: "2026-03-25T12:00",
        },
      ],
    });
    const d = new Driver(config);
    d.step(T, [slo("availability")]);
    // 10:30Z is 11:30 in Berlin: inside the window.
    expect(d.step(T + 30 * S)).toEqual([]);
    const out = stepGrouping(config, d.state, { now: T + 30 * S });
    expect(out.state.groups[0]?.alerts).toHaveLength(1);
    // The window ends at 12:00 Berlin = 11:00Z; the next flush after that sends the page.
    d.step(T + 55 * M + 30 * S);
    expect(d.sent).toEqual([]);
    expect(firingOf(d.step(T + H + 30 * S)[0])).toEqual(["availability"]);
  });

  it("auto-resolves a signal whose source never resolves after its quiet period", () => {
    const config = parseRoutingConfig({
      route: { routes: [{ name: "api-tickets", matchers: ["source=api"], classify: "ticket" }] },
      autoResolve: { default: "off", bySource: { api: "2h" } },
    });
    const d = new Driver(config);
    const api = slo("disk", { source: "api", severity: "warning" });
    d.step(T, [api]);
    d.step(T + 30 * S);
    d.step(T + 1 * H, [api]);
    expect(d.step(T + 2 * H + 30 * S)).toEqual([]);
    const [n] = d.step(T + 3 * H + 30 * S);
    expect(resolvedOf(n)).toEqual(["disk"]);
    expect(n?.resolved[0]).toMatchObject({ resolvedAt: T + 3 * H, autoResolved: true });
  });

  it("classifies log signals without grouping or notifying them", () => {
    const d = stepGrouping(defaultRoutingConfig(), EMPTY_GROUPING_STATE, {
      now: T,
      signals: [slo("deploy", { source: "rollout", severity: "info" })],
    });
    expect(d.classified).toEqual([
      { fingerprint: "deploy", outcome: "log", rule: { path: "route", name: "default" } },
    ]);
    expect(d.state.groups).toEqual([]);
  });
});

describe("grouping properties", () => {
  const eventArb = fc.record({
    dt: fc.integer({ min: 0, max: 20 * M }),
    signals: fc.array(
      fc.record({
        fp: fc.constantFrom("a", "b", "c", "d"),
        service: fc.constantFrom("checkout", "search"),
        severity: fc.constantFrom("page", "ticket", "info"),
        resolve: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  });
  const silenceArb = fc.record({
    start: fc.integer({ min: 0, max: 3 * H }),
    length: fc.integer({ min: 1, max: 2 * H }),
  });

  const run = (
    events: { dt: number; signals: { fp: string; service: string; severity: string; resolve: boolean }[] }[],
    silences: Silence[],
    twice: boolean,
  ) => {
    const d = new Driver(defaultRoutingConfig(), silences);
    let now = T;
    for (const e of events) {
      now += e.dt;
      const signals = e.signals.map((s) =>
        slo(`${s.fp}-${s.service}-${s.severity}`, {
          service: s.service,
          severity: s.severity,
          ...(s.resolve ? { endsAt: now } : {}),
        }),
      );
      d.step(now, twice ? [...signals, ...signals] : signals);
    }
    for (let i = 1; i <= 12; i++) d.step(now + i * 5 * M);
    return d.sent;
  };

  it("never sends a silenced alert as firing", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), silenceArb, (events, s) => {
        const silence = createSilence({
          id: "s",
          matchers: ['service="checkout"'],
          startsAt: T + s.start,
          endsAt: T + s.start + s.length,
          createdBy: "p",
          comment: "c",
        });
        for (const n of run(events, [silence], false)) {
          const active = n.at >= silence.startsAt && n.at < silence.endsAt;
          if (active) expect(n.firing.filter((a) => a.signal.service === "checkout")).toEqual([]);
        }
      }),
    );
  });

  it("sends the same notifications when every signal arrives twice (deduplication)", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), (events) => {
        const summary = (ns: GroupNotification[]) =>
          ns.map((n) => [n.at, n.groupKey, firingOf(n), resolvedOf(n), n.kind]);
        expect(summary(run(events, [], true))).toEqual(summary(run(events, [], false)));
      }),
    );
  });

  it("never notifies a group before group_wait has passed since its first signal", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), (events) => {
        const firstSeen = new Map<string, number>();
        const d = new Driver(defaultRoutingConfig());
        let now = T;
        for (const e of events) {
          now += e.dt;
          const signals = e.signals.map((s) => slo(s.fp, { service: s.service, severity: s.severity }));
          for (const n of d.step(now, signals)) {
            expect(n.at - (firstSeen.get(n.groupKey) ?? n.at)).toBeGreaterThanOrEqual(30 * S);
          }
          for (const g of d.state.groups) if (!firstSeen.has(g.key)) firstSeen.set(g.key, g.createdAt);
        }
      }),
    );
  });
});
