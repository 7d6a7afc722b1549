import { useEffect, useState } from "preact/hooks";
import type { AlertEventDto } from "../../../src/slo/slo.schemas.js";
import { api } from "../api.js";
import { AlertEventsTable } from "../components/alert-events-table.js";
import { When } from "../components/when.js";

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
        <AlertEventsTable events={slo} showSlo={true} testId="slo-alerts" />
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
                  <When at={a.receivedAt} />
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
