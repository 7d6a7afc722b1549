/**
 * The validated, normalized form of an SLO that every part of nines works with (evaluator,
 * store, rule compiler, UI). Parsers of the native, OpenSLO and Sloth formats produce it;
 * nothing downstream reads YAML. Durations are integer milliseconds; ratios are fractions.
 */

export type Severity = "page" | "ticket";

/** One line of a multi-window, multi-burn-rate policy (SRE Workbook, "Alerting on SLOs", §6). */
export interface AlertLine {
  /** Stable name within the policy, e.g. "page-fast". Used as the `tier` label of alerts. */
  readonly name: string;
  readonly severity: Severity;
  /** Burn-rate factor: the alert fires when both windows burn faster than this. */
  readonly burnRate: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly enabled: boolean;
  /** Minimum events in the long window before the line may fire (low-traffic guard). */
  readonly minEvents: number;
  /** Extra labels for alerts of this line (e.g. imported from Sloth `page_alert.labels`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations for alerts of this line (runbook, summary…). */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AlertPolicy {
  /**
   * Name of a reusable policy, "default" (the Workbook's four lines scaled to the window, see
   * docs/slo-spec.md) or "none" (only the lines the SLO spec lists).
   */
  readonly name: string;
  readonly lines: readonly AlertLine[];
  /** No samples for this long while traffic was expected raises a ticket-level "no data" alert. */
  readonly missingDataAfterMs: number;
  /** Alert name to use in generated rules (Sloth `alerting.name`); the compiler picks one if absent. */
  readonly alertName?: string;
}

export interface RatioSli {
  readonly kind: "ratio";
  /** Which count the source reports beside the total: good events or bad events. */
  readonly count: "good" | "bad";
}

export interface LatencySli {
  readonly kind: "latency";
  /** Requests at or under this many seconds are good; must equal one histogram bucket bound. */
  readonly thresholdSeconds: number;
  /** Histogram bucket upper bounds in seconds, ascending (without +Inf). */
  readonly buckets: readonly number[];
}

export type Sli = RatioSli | LatencySli;

export interface RollingWindow {
  readonly kind: "rolling";
  readonly lengthMs: number;
}

export interface CalendarWindow {
  readonly kind: "calendar";
  readonly unit: "week" | "month" | "quarter";
  /** IANA time zone the calendar periods start in, e.g. "Europe/Berlin". */
  readonly timeZone: string;
}

export type SloWindow = RollingWindow | CalendarWindow;

export type Budgeting =
  | { readonly method: "occurrences" }
  | {
      readonly method: "timeslices";
      /** Length of one slice, e.g. 60_000 for good minutes. */
      readonly sliceMs: number;
      /** A slice is good when its good/total ratio is at least this fraction. */
      readonly sliceTarget: number;
    };

export interface PushSource {
  readonly kind: "push";
}

export interface PrometheusSource {
  readonly kind: "prometheus";
  readonly url: string;
  /** PromQL with a `{{window}}` placeholder; for ratio SLIs: good or bad events over the window. */
  readonly eventsQuery: string;
  /** PromQL with a `{{window}}` placeholder: all events over the window. */
  readonly totalQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Series selector matched against remote-write series, if any. */
  readonly selector?: string;
  /** Credentials for the queries; the secret itself is read from the environment at query time. */
  readonly auth?: PrometheusAuth;
  /** Timeout of each query attempt (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * How nines authenticates to a Prometheus-compatible API. Specs only name environment variables
 * of the nines server: secrets never sit in a spec, the database or a log line.
 */
export type PrometheusAuth =
  | { readonly kind: "bearer"; readonly tokenEnv: string }
  | { readonly kind: "basic"; readonly username: string; readonly passwordEnv: string };

export type SliSource = PushSource | PrometheusSource;

export interface Slo {
  /** `<service>/<name>`: unique across nines. */
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly description: string;
  readonly team: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly sli: Sli;
  readonly source: SliSource;
  /** Objective as a fraction, e.g. 0.999 for a 99.9% target. Strictly between 0 and 1. */
  readonly objective: number;
  readonly window: SloWindow;
  readonly budgeting: Budgeting;
  readonly alerting: AlertPolicy;
  readonly annotations: Readonly<Record<string, string>>;
}
