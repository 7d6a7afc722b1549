import { useEffect, useMemo, useState } from "preact/hooks";
import type { AlertEventDto, SeriesResponse, SloDetail } from "../../../src/slo/slo.schemas.js";
import { api } from "../api.js";
import { AlertEventsTable } from "../components/alert-events-table.js";
import { Chart, type ChartSeries } from "../components/chart.js";
import { burn, duration, percent, relative } from "../format.js";
import { navigate } from "../router.js";
import { BudgetBar, StateBadge } from "./slo-parts.js";

const RANGES: Record<string, number> = {
  "1h": 3_600_000,
  "6h": 21_600_000,
  "1d": 86_400_000,
  "7d": 604_800_000,
  "30d": 2_592_000_000,
};
const PALETTE = ["#d1495b", "#edae49", "#00798c", "#30638e", "#8e5ea2", "#3caea3", "#6d6875", "#b5838d"];

interface Explained {
  name: string;
  severity: string;
  enabled: boolean;
  burnRate: number;
  longWindowMs: number;
  shortWindowMs: number;
  minErrorRate: number;
  canFire: boolean;
  detectionFullOutageMs: number | null;
  budgetConsumedAtDetection: number;
  resetMs: number | null;
}

/** One SLO: budget burn-down, SLI and burn-rate charts on one time range, alert lines, history and spec. */
export function SloDetailPage({
  service,
  name,
  query,
}: {
  service: string;
  name: string;
  query: URLSearchParams;
}) {
  const range = query.get("range") && RANGES[query.get("range")!] ? query.get("range")! : "7d";
  const [detail, setDetail] = useState<SloDetail | undefined>(undefined);
  const [series, setSeries] = useState<SeriesResponse | undefined>(undefined);
  const [alerts, setAlerts] = useState<AlertEventDto[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const base = `/api/v1/slos/${encodeURIComponent(service)}/${encodeURIComponent(name)}`;

  useEffect(() => {
    const load = async () => {
      try {
        const to = Date.now();
        const [d, s, a] = await Promise.all([
          api<SloDetail>("GET", base),
          api<SeriesResponse>("GET", `${base}/series?from=${to - RANGES[range]!}&to=${to}`),
          api<AlertEventDto[]>("GET", `${base}/alerts?limit=50`),
        ]);
        setDetail(d);
        setSeries(s);
        setAlerts(a);
        setError(undefined);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      }
    };
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [base, range]);

  const charts = useMemo(() => (detail && series ? chartData(detail, series) : undefined), [detail, series]);
  if (error)
    return (
      <p class="error" role="alert">
        Could not load {service}/{name}: {error}
      </p>
    );
  if (!detail || !series || !charts) return <p class="muted">Loading…</p>;
  const s = detail.summary;
  const explained = (detail.explain as { lines: Explained[] }).lines;

  return (
    <section>
      <p class="crumbs">
        <a href="/slos">SLOs</a> / {s.service}
      </p>
      <h1>
        {s.service} / {s.name} <StateBadge state={s.state} />
      </h1>
      <p class="muted">{s.description}</p>
      {s.source && <SourceNotice source={s.source} />}
      <div class="tiles">
        <div class="tile">
          <div class="tile-label">Objective</div>
          <div class="tile-value">{percent(s.objective)}</div>
          <div class="tile-sub">
            {s.windowLabel} · {s.sliKind} SLI
          </div>
        </div>
        <div class="tile">
          <div class="tile-label">SLI over the window</div>
          <div class="tile-value">{percent(s.sli)}</div>
          <div class="tile-sub">
            {s.budget.method === "occurrences"
              ? `${Math.round(s.budget.spent)} bad of ${Math.round(s.budget.allowed)} allowed events`
              : `${s.budget.spent} bad slices of ${s.budget.allowed.toFixed(1)} allowed`}
          </div>
        </div>
        <div class="tile" data-testid="budget-tile">
          <div class="tile-label">Error budget left</div>
          <BudgetBar remaining={s.budgetRemaining} />
          <div class="tile-sub">{forecastText(detail)}</div>
        </div>
        <div class="tile">
          <div class="tile-label">Burn rate</div>
          <div class="tile-value">{burn(s.burnRateLong)}</div>
          <div class="tile-sub">1 h · {burn(s.burnRateShort)} over the shortest window</div>
        </div>
      </div>

      <fieldset class="range-picker" aria-label="Time range">
        {Object.keys(RANGES).map((r) => (
          <button
            type="button"
            class={r === range ? "" : "ghost"}
            aria-pressed={r === range}
            onClick={() =>
              navigate(`/slos/${encodeURIComponent(service)}/${encodeURIComponent(name)}?range=${r}`)
            }
          >
            {r}
          </button>
        ))}
      </fieldset>

      <Chart
        title="Error budget remaining"
        unit="% of budget"
        times={charts.times}
        series={charts.budget}
        markers={charts.markers}
        format={(v) => `${(v * 100).toFixed(0)}%`}
      />
      <Chart
        title="SLI per step"
        unit="good / total"
        times={charts.times}
        series={charts.sli}
        markers={charts.markers}
        format={(v) => `${(v * 100).toFixed(2)}%`}
      />
      <Chart
        title="Burn rate by alert window"
        unit="× budget rate"
        times={charts.times}
        series={charts.burn}
        markers={charts.markers}
        format={(v) => `${v.toFixed(1)}×`}
      />

      <h2>Alert lines</h2>
      <table class="list" data-testid="lines-table">
        <thead>
          <tr>
            <th>Line</th>
            <th>Severity</th>
            <th>Windows</th>
            <th class="num">Threshold</th>
            <th class="num">Long burn</th>
            <th class="num">Short burn</th>
            <th>State</th>
            <th title="Time from the start of a 100% outage to the alert">Detects full outage in</th>
            <th title="Share of the budget spent when the alert fires">Budget spent at alert</th>
            <th title="Smallest steady error rate that ever fires">Fires from error rate</th>
          </tr>
        </thead>
        <tbody>
          {detail.lines.map((line) => {
            const x = explained.find((e) => e.name === line.name);
            return (
              <tr>
                <td>{line.name}</td>
                <td>{line.severity}</td>
                <td>{x ? `${duration(x.longWindowMs)} & ${duration(x.shortWindowMs)}` : "—"}</td>
                <td class="num">{x ? `${x.burnRate}×` : "—"}</td>
                <td class="num">{burn(line.longBurnRate)}</td>
                <td class="num">{burn(line.shortBurnRate)}</td>
                <td>
                  <span class={`line-state ${line.state}`}>{line.state}</span>
                  {line.reason && <div class="muted small">{line.reason}</div>}
                </td>
                <td>{x?.detectionFullOutageMs != null ? duration(x.detectionFullOutageMs) : "never"}</td>
                <td>{x ? percent(x.budgetConsumedAtDetection, 1) : "—"}</td>
                <td>{x ? percent(x.minErrorRate, 2) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>Alert history</h2>
      {alerts.length === 0 ? (
        <p class="muted">No alert has fired for this SLO.</p>
      ) : (
        <AlertEventsTable events={alerts} showSlo={false} testId="alert-history" />
      )}

      <h2>Spec</h2>
      <p class="muted small">
        Version {s.version}, applied as {detail.format}. Edit it in Git and run{" "}
        <code>nines slo apply -f</code>.
      </p>
      <pre class="yaml">{detail.yaml}</pre>
    </section>
  );
}

function forecastText(detail: SloDetail): string {
  if (detail.summary.budgetRemaining <= 0)
    return "budget exhausted: releases should freeze (error budget policy)";
  const day = detail.forecasts.find((f) => f.lookbackMs === 86_400_000) ?? detail.forecasts[0];
  if (!day || day.exhaustedInMs === null) return "not burning";
  return `spent in ${duration(day.exhaustedInMs)} at the last ${duration(day.lookbackMs)}'s burn`;
}

function chartData(detail: SloDetail, series: SeriesResponse) {
  const times = series.points.map((p) => p.at);
  const objective = detail.summary.objective;
  const budget: ChartSeries[] = [
    { label: "budget left", values: series.points.map((p) => p.budgetRemaining), color: "#00798c" },
  ];
  const sli: ChartSeries[] = [
    { label: "SLI", values: series.points.map((p) => p.sli), color: "#30638e" },
    {
      label: `objective ${percent(objective)}`,
      values: times.map(() => objective),
      color: "#d1495b",
      dashed: true,
    },
  ];
  const burnSeries: ChartSeries[] = series.windows.map((w, i) => ({
    label: w.name,
    values: series.points.map((p) => p.burnRates[i] ?? null),
    color: PALETTE[i % PALETTE.length]!,
  }));
  const thresholds = [
    ...new Set(
      detail.lines
        .map((l) => (detail.explain as { lines: Explained[] }).lines.find((x) => x.name === l.name)?.burnRate)
        .filter((v): v is number => v !== undefined),
    ),
  ];
  for (const t of thresholds)
    burnSeries.push({ label: `threshold ${t}×`, values: times.map(() => t), color: "#888888", dashed: true });
  const markers = series.annotations.map((a) => ({ at: a.at, label: `${a.kind}: ${a.text}` }));
  return { times, budget, sli, burn: burnSeries, markers };
}

/** Where a pulled SLI comes from, and why it is "no data" when its backend fails. */
function SourceNotice({ source }: { source: NonNullable<SloDetail["summary"]["source"]> }) {
  if (source.state === "error" && source.error)
    return (
      <p class="error" role="alert" data-testid="source-error">
        No SLI data from {source.url} since {relative(source.error.since)} ({source.error.failures} failed
        pulls): {source.error.message}
      </p>
    );
  const b = source.backfill;
  if (b && b.state !== "done")
    return (
      <p class="muted" data-testid="source-backfill">
        Back-filling the SLO window from {source.url}: {b.percent}% ({b.doneSteps} of {b.steps} steps)
      </p>
    );
  return (
    <p class="muted small" data-testid="source-ok">
      SLI pulled from {source.url}
      {source.lastSuccessAt !== null ? `, last answer ${relative(source.lastSuccessAt)}` : ""}
      {source.warnings.length > 0 ? ` · ${source.warnings.join("; ")}` : ""}
    </p>
  );
}
