import { useEffect, useState } from "preact/hooks";
import type { SloSummary } from "../../../src/slo/slo.schemas.js";
import { api } from "../api.js";
import { burn, percent } from "../format.js";
import { navigate } from "../router.js";
import { BudgetBar, StateBadge } from "./slo-parts.js";

const STATES = ["", "page", "ticket", "ok", "no data"] as const;

/** Every SLO at a glance: state, SLI, budget left and burn; filters live in the URL. */
export function SloListPage({ query }: { query: URLSearchParams }) {
  const [slos, setSlos] = useState<SloSummary[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const service = query.get("service") ?? "";
  const team = query.get("team") ?? "";
  const state = query.get("state") ?? "";

  useEffect(() => {
    const load = () =>
      api<SloSummary[]>("GET", "/api/v1/slos").then(
        (list) => {
          setSlos(list);
          setError(undefined);
        },
        (err: Error) => setError(err.message),
      );
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, []);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    const qs = next.toString();
    navigate(`/slos${qs ? `?${qs}` : ""}`);
  };

  if (error)
    return (
      <p class="error" role="alert">
        Could not load SLOs: {error}. It retries every 15 s.
      </p>
    );
  if (!slos) return <p class="muted">Loading SLOs…</p>;
  if (slos.length === 0) {
    return (
      <section class="empty">
        <h1>SLOs</h1>
        <p>
          No SLOs yet. Apply specs with <code>nines slo apply -f slos/</code>, or import a Sloth or OpenSLO
          file with <code>nines slo import FILE --out slos/</code>.
        </p>
      </section>
    );
  }
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const teams = [...new Set(slos.map((s) => s.team))].sort();
  const shown = slos.filter(
    (s) => (!service || s.service === service) && (!team || s.team === team) && (!state || s.state === state),
  );
  const counts = { page: 0, ticket: 0, ok: 0, "no data": 0 };
  for (const s of slos) counts[s.state]++;

  return (
    <section>
      <h1>SLOs</h1>
      <p class="summary-line">
        {slos.length} SLOs · <StateBadge state="page" /> {counts.page} · <StateBadge state="ticket" />{" "}
        {counts.ticket} · <StateBadge state="ok" /> {counts.ok} · <StateBadge state="no data" />{" "}
        {counts["no data"]}
      </p>
      <div class="filters">
        <label>
          Service{" "}
          <select
            value={service}
            onChange={(e) => setFilter("service", (e.target as HTMLSelectElement).value)}
          >
            <option value="">all</option>
            {services.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Team{" "}
          <select value={team} onChange={(e) => setFilter("team", (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {teams.map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          State{" "}
          <select value={state} onChange={(e) => setFilter("state", (e.target as HTMLSelectElement).value)}>
            {STATES.map((s) => (
              <option value={s}>{s || "all"}</option>
            ))}
          </select>
        </label>
      </div>
      <table class="list" data-testid="slo-table">
        <thead>
          <tr>
            <th>State</th>
            <th>Service</th>
            <th>SLO</th>
            <th class="num">Objective</th>
            <th>Window</th>
            <th class="num">SLI</th>
            <th>Error budget left</th>
            <th class="num" title="Burn rate over the page line's long window (1 h by default)">
              Burn 1h
            </th>
            <th>Firing</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr>
              <td>
                <StateBadge state={s.state} />
              </td>
              <td>{s.service}</td>
              <td>
                <a href={`/slos/${encodeURIComponent(s.service)}/${encodeURIComponent(s.name)}`}>{s.name}</a>
                <div class="muted small">{s.description}</div>
              </td>
              <td class="num">{percent(s.objective)}</td>
              <td>{s.windowLabel}</td>
              <td class="num">{percent(s.sli)}</td>
              <td>
                <BudgetBar remaining={s.budgetRemaining} />
              </td>
              <td class="num">{burn(s.burnRateLong)}</td>
              <td>{s.firing.join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p class="muted">No SLO matches these filters.</p>}
    </section>
  );
}
