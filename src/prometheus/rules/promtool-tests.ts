import { stringify } from "yaml";
import type { Slo } from "../../slo/model.js";
import { formatPromDuration } from "../prom-duration.js";
import { labelSelector } from "../promql-text.js";
import { alertName } from "./alert-name.js";
import { alertLabels } from "./alerting-rules.js";
import {
  type CompileRulesOptions,
  type ResolvedCompileOptions,
  resolveCompileOptions,
} from "./compile-options.js";
import { compileRules } from "./compile-rules.js";
import { firingBoundMs } from "./detection-time.js";
import type { RuleGroup } from "./rule-types.js";
import { isDerivedWindow } from "./slo-windows.js";

/** Events per evaluation interval in the synthetic series (a round number keeps ratios exact). */
const RATE = 1000;
const TOTAL = "nines_test_requests_total";
const EVENTS = "nines_test_events_total";

export interface PromtoolTestOptions extends CompileRulesOptions {
  /** Path of the rule file holding `groups`, as the test file should name it (relative to the test file). */
  readonly ruleFile: string;
}

/** Rules to test and the `promtool test rules` file that exercises them. */
export interface PromtoolTestBundle {
  /** The SLOs' rules compiled with synthetic counters in place of their SLI queries. */
  readonly groups: readonly RuleGroup[];
  readonly testFile: string;
}

/**
 * The SLO with its queries replaced by synthetic counters `nines_test_requests_total` and
 * `nines_test_events_total` (good or bad events, as the SLI counts them), so that tests can
 * drive the compiled windows, thresholds and `for` without knowing the real metrics.
 * Annotations are left out because promtool compares them verbatim and they render `$value`.
 */
function syntheticSlo(slo: Slo): Slo {
  const sel = labelSelector({ nines_slo: slo.id });
  const longest = Math.max(0, ...slo.alerting.lines.filter((l) => l.enabled).map((l) => l.longWindowMs));
  const { alertName: _shared, ...alerting } = slo.alerting;
  return {
    ...slo,
    // One alert name per line (never a policy-wide name), so each line is tested on its own.
    alerting,
    // The SLO window only feeds budget-remaining series, which alerts do not read; keeping it at
    // the longest alert window spares promtool a 30-day subquery on every evaluation.
    window: longest > 0 ? { kind: "rolling", lengthMs: longest } : slo.window,
    source: {
      kind: "prometheus",
      url: "",
      headers: {},
      eventsQuery: `increase(${EVENTS}${sel}[{{window}}])`,
      totalQuery: `increase(${TOTAL}${sel}[{{window}}])`,
    },
  };
}

const countsGood = (slo: Slo): boolean => slo.sli.kind === "latency" || slo.sli.count === "good";

/** Expanding notation for a counter that grows by `step` per interval for `n` intervals. */
const ramp = (start: number, step: number, n: number): string => `${start}+${step}x${n}`;

function outageTest(slo: Slo, opts: ResolvedCompileOptions) {
  const interval = opts.evaluationIntervalMs;
  const lines = slo.alerting.lines.filter((l) => l.enabled && Number.isFinite(firingBoundMs(slo, l, opts)));
  const rawLongs = lines.map((l) => l.longWindowMs).filter((w) => !isDerivedWindow(w, opts));
  const healthyMs = Math.max(opts.baseWindowMs, ...rawLongs) + opts.baseWindowMs;
  const h = healthyMs / interval;
  const lastMs = healthyMs + Math.max(0, ...lines.map((l) => firingBoundMs(slo, l, opts)));
  const n = Math.ceil(lastMs / interval) + 1;
  const sel = labelSelector({ nines_slo: slo.id });
  // Bad-event counters stay at 0 until the outage, then grow like the total; good-event counters stop.
  const events = countsGood(slo)
    ? `${ramp(0, RATE, h)} ${RATE * h}x${n - h - 1}`
    : `0x${h} ${ramp(RATE, RATE, n - h - 1)}`;
  const tests = lines.flatMap((line) => {
    const bound = firingBoundMs(slo, line, opts);
    const firing = {
      eval_time: formatPromDuration(healthyMs + bound),
      alertname: alertName(line.name),
      exp_alerts: [{ exp_labels: alertLabels(slo, line) }],
    };
    const exact = !isDerivedWindow(line.longWindowMs, opts) && !isDerivedWindow(line.shortWindowMs, opts);
    // With raw windows the bound is exact: one evaluation earlier the alert is at most pending.
    const notYet = {
      eval_time: formatPromDuration(healthyMs + bound - interval),
      alertname: alertName(line.name),
      exp_alerts: [],
    };
    return exact ? [notYet, firing] : [firing];
  });
  return {
    name: `${slo.id}: a 100% outage from ${formatPromDuration(healthyMs)} fires each line within its detection time`,
    interval: formatPromDuration(interval),
    input_series: [
      { series: `${TOTAL}${sel}`, values: ramp(0, RATE, n) },
      { series: `${EVENTS}${sel}`, values: events },
    ],
    alert_rule_test: tests,
  };
}

function slowBurnTest(slo: Slo, opts: ResolvedCompileOptions) {
  const interval = opts.evaluationIntervalMs;
  const lines = slo.alerting.lines.filter((l) => l.enabled);
  const budget = 1 - slo.objective;
  // A steady ratio is the same over any span, so the run stops once every raw window and one
  // derived window are full; running to the 3-day window too would cost promtool 3x as long.
  const raw = lines
    .flatMap((l) => [l.longWindowMs, l.shortWindowMs])
    .filter((w) => !isDerivedWindow(w, opts));
  const derived = lines
    .flatMap((l) => [l.longWindowMs, l.shortWindowMs])
    .filter((w) => isDerivedWindow(w, opts));
  const firstDerived = derived.length > 0 ? Math.min(...derived) : 0;
  const endMs = Math.max(opts.baseWindowMs, ...raw, firstDerived) + 2 * opts.baseWindowMs;
  const n = Math.ceil(endMs / interval);
  const bad = RATE * budget * 0.5;
  const sel = labelSelector({ nines_slo: slo.id });
  const checkpoints = [
    ...new Set([...lines.flatMap((l) => [l.shortWindowMs, l.longWindowMs]).filter((w) => w < endMs), endMs]),
  ].sort((a, b) => a - b);
  return {
    name: `${slo.id}: a steady burn at 0.5x the budget never fires`,
    interval: formatPromDuration(interval),
    input_series: [
      { series: `${TOTAL}${sel}`, values: ramp(0, RATE, n) },
      { series: `${EVENTS}${sel}`, values: ramp(0, countsGood(slo) ? RATE - bad : bad, n) },
    ],
    alert_rule_test: checkpoints.flatMap((at) =>
      lines.map((line) => ({
        eval_time: formatPromDuration(at),
        alertname: alertName(line.name),
        exp_alerts: [],
      })),
    ),
  };
}

/**
 * Generates `promtool test rules` tests for each SLO (the `--tests` output of `nines rules
 * generate`): a 100% outage fires every enabled line no later than {@link firingBoundMs}
 * (for the Workbook's 1h/5m line at 14.4 and 99.9%: 51.84 s of outage, seen in the next
 * 1-minute sample, plus `for`), and a steady burn at half the budget rate never fires.
 */
export function promtoolTests(slos: readonly Slo[], opts: PromtoolTestOptions): PromtoolTestBundle {
  const resolved = resolveCompileOptions(opts);
  const testable = slos.filter((slo) => slo.source.kind === "prometheus");
  const compiled = compileRules(testable.map(syntheticSlo), { ...opts, annotations: false, strict: true });
  const testFile = stringify(
    {
      rule_files: [opts.ruleFile],
      evaluation_interval: formatPromDuration(resolved.evaluationIntervalMs),
      tests: testable.flatMap((slo) => [outageTest(slo, resolved), slowBurnTest(slo, resolved)]),
    },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
  return { groups: compiled.groups, testFile };
}
