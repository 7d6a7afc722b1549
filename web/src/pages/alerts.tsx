import { useEffect, useState } from "preact/hooks";
import type { AlertEventDto } from "../../../src/slo/slo.schemas.js";
import { api } from "../api.js";
import { burn, percent, relative } from "../format.js";

interface ExternalAlert {
  fingerprint: string;
  state: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  receivedAt: number;
}

/** What is alerting: SLO alert transitions and the alerts Alertmanager sent to nines. */
export function AlertsPage() {
  const [slo, setSlo] = useState<AlertEventDto[] | undefined>(undefined);
  const [external, setExternal] = useState<ExternalAlert[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    const load = () =>
      Promise.all([
        api<AlertEventDto[]>("GET", "/api/v1/slo-alerts?limit=100"),
        api<ExternalAlert[]>("GET", "/api/v1/integrations/alertmanager/alerts"),
      ]).then(
        ([events, received]) => {
          setSlo(events);
          setExternal(received);
          setError(undefined);
        },
        (err: Error) => setError(err.message),
      );
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, []);

  if (error)
    return (
      <p class="error" role="alert">
        Could not load alerts: {error}. It retries every 15 s.
      </p>
    );
  if (!slo) return <p class="muted">Loading alerts…</p>;
  return (
    <section>
      <h1>Alerts</h1>
      <h2>SLO alerts</h2>
      {slo.length === 0 ? (
        <p class="muted">
          No SLO has alerted. Alerts appear here when an SLO burns its budget faster than a line of its policy
          allows.
        </p>
      ) : (
        <table class="list" data-testid="slo-alerts">
          <thead>
            <tr>
              <th>When</th>
              <th>SLO</th>
              <th>Line</th>
              <th>Severity</th>
              <th>State</th>
              <th class="num">Burn (long / short)</th>
              <th class="num">Budget left</th>
            </tr>
          </thead>
          <tbody>
            {slo.map((a) => (
              <tr>
                <td>
                  <time dateTime={new Date(a.at).toISOString()} title={new Date(a.at).toISOString()}>
                    {relative(a.at)}
                  </time>
                </td>
                <td>
                  <a href={`/slos/${a.sloId.split("/").map(encodeURIComponent).join("/")}`}>{a.sloId}</a>
                </td>
                <td>{a.line}</td>
                <td>{a.severity}</td>
                <td>
                  <span class={`line-state ${a.state === "firing" ? "firing" : "ok"}`}>{a.state}</span>
                </td>
                <td class="num">
                  {burn(a.burnRates.long)} / {burn(a.burnRates.short)}
                </td>
                <td class="num">{percent(a.budgetRemaining, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>From Alertmanager</h2>
      {external.length === 0 ? (
        <p class="muted">
          Nothing received. Point an Alertmanager <code>webhook_configs</code> URL at{" "}
          <code>/api/v1/integrations/alertmanager</code> with a write token.
        </p>
      ) : (
        <table class="list" data-testid="external-alerts">
          <thead>
            <tr>
              <th>Received</th>
              <th>Alert</th>
              <th>State</th>
              <th>Labels</th>
              <th>Summary</th>
            </tr>
          </thead>
          <tbody>
            {external.map((a) => (
              <tr>
                <td>
                  <time
                    dateTime={new Date(a.receivedAt).toISOString()}
                    title={new Date(a.receivedAt).toISOString()}
                  >
                    {relative(a.receivedAt)}
                  </time>
                </td>
                <td>{a.labels["alertname"] ?? a.fingerprint}</td>
                <td>
                  <span class={`line-state ${a.state === "firing" ? "firing" : "ok"}`}>{a.state}</span>
                </td>
                <td class="small">
                  {Object.entries(a.labels)
                    .filter(([k]) => k !== "alertname")
                    .map(([k, v]) => `${k}=${v}`)
                    .join(" ")}
                </td>
                <td class="small">{a.annotations["summary"] ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
