import { useEffect, useState } from "preact/hooks";
import type { IncidentView } from "../../../src/incidents/incident-api.schemas.js";
import { api } from "../api.js";
import { IncidentSeverity, IncidentStatus } from "../components/incident-parts.js";
import { When } from "../components/when.js";
import { navigate } from "../router.js";

const STATUS_FILTERS = ["open", "investigating", "identified", "mitigated", "resolved", "all"] as const;

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Declare an incident: title, severity, services, and optionally the page it comes from. */
function DeclareForm({ onDeclared }: { onDeclared: (id: string) => void }) {
  const [title, setTitle] = useState("");
  const [severity, setSeverity] = useState("SEV2");
  const [services, setServices] = useState("");
  const [pageId, setPageId] = useState("");
  const [causes, setCauses] = useState("");
  const [startedMinutesAgo, setStartedMinutesAgo] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const created = await api<IncidentView>("POST", "/api/v1/incidents", {
        title: title.trim(),
        severity,
        services: list(services),
        ...(pageId.trim() ? { fromPageId: pageId.trim() } : {}),
        ...(list(causes).length > 0 ? { causeTags: list(causes) } : {}),
        ...(Number(startedMinutesAgo) > 0
          ? { impactStartedAt: Date.now() - Math.round(Number(startedMinutesAgo) * 60_000) }
          : {}),
      });
      onDeclared(created.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="declare-form" style="max-width:640px">
      <label>
        Title
        <input
          value={title}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          style="width:100%"
        />
      </label>
      <div class="filters" style="margin:0">
        <label>
          Severity{" "}
          <select value={severity} onChange={(e) => setSeverity((e.target as HTMLSelectElement).value)}>
            {["SEV1", "SEV2", "SEV3", "SEV4"].map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Services{" "}
          <input
            value={services}
            placeholder="checkout, payments"
            onInput={(e) => setServices((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <div class="filters" style="margin:0">
        <label>
          From page (optional){" "}
          <input value={pageId} onInput={(e) => setPageId((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Impact began (minutes ago){" "}
          <input
            type="number"
            min="0"
            value={startedMinutesAgo}
            style="width:90px"
            onInput={(e) => setStartedMinutesAgo((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Cause tags{" "}
          <input
            value={causes}
            placeholder="bad-config-push"
            onInput={(e) => setCauses((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <div>
        <button type="submit" disabled={title.trim() === "" || list(services).length === 0}>
          Declare incident
        </button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Incidents, newest first, with a declare form and links to postmortems and action items. */
export function IncidentsPage({ query }: { query: URLSearchParams }) {
  const status = query.get("status") ?? "open";
  const [incidents, setIncidents] = useState<IncidentView[] | undefined>(undefined);
  const [declaring, setDeclaring] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = () =>
    api<IncidentView[]>("GET", `/api/v1/incidents${status === "all" ? "" : `?status=${status}`}`).then(
      (l) => {
        setIncidents(l);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  useEffect(() => {
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [status]);

  return (
    <section>
      <h1>Incidents</h1>
      <p class="muted">
        Every serious outage gets a blameless postmortem, whether or not it paged. See also{" "}
        <a href="/postmortems">postmortems</a> and the <a href="/action-items">action-item board</a>.
      </p>
      <div class="filters">
        <label>
          Status{" "}
          <select
            value={status}
            onChange={(e) => navigate(`/incidents?status=${(e.target as HTMLSelectElement).value}`)}
          >
            {STATUS_FILTERS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="button" class={declaring ? "ghost" : ""} onClick={() => setDeclaring(!declaring)}>
          {declaring ? "Cancel" : "Declare an incident"}
        </button>
      </div>
      {declaring ? <DeclareForm onDeclared={(id) => navigate(`/incidents/${id}`)} /> : null}
      {error ? (
        <p class="error" role="alert">
          Could not load incidents: {error}
        </p>
      ) : null}
      {incidents === undefined ? (
        <p class="muted">Loading incidents…</p>
      ) : incidents.length === 0 ? (
        <p class="muted empty" data-testid="no-incidents">
          No {status === "all" ? "" : status} incidents. Declare one here, with{" "}
          <code>nines incident declare</code>, or let nines find one: an SLO that spends more than 5% of its
          budget in a day without a page becomes an incident.
        </p>
      ) : (
        <table class="list" data-testid="incidents">
          <thead>
            <tr>
              <th>Incident</th>
              <th>Severity</th>
              <th>Status</th>
              <th>Services</th>
              <th>Source</th>
              <th>Declared</th>
              <th>Postmortem</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr data-testid={`incident-${i.id}`}>
                <td>
                  <a href={`/incidents/${i.id}`}>{i.title}</a>
                  <div class="small muted">{i.id}</div>
                </td>
                <td>
                  <IncidentSeverity severity={i.severity} />
                </td>
                <td>
                  <IncidentStatus status={i.status} />
                </td>
                <td>{i.services.join(", ")}</td>
                <td>{i.source === "detector" ? "found without paging" : i.source}</td>
                <td>
                  <When at={i.declaredAt} />
                </td>
                <td>
                  {i.postmortem ? (
                    <a href={`/postmortems/${i.postmortem.id}`}>
                      {i.postmortem.id} ({i.postmortem.status})
                    </a>
                  ) : i.postmortemRequirement?.required ? (
                    <span class="overdue-text">required</span>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
