import { useEffect, useState } from "preact/hooks";
import type { IncidentView } from "../../../src/incidents/incident-api.schemas.js";
import type { PageView } from "../../../src/signals/signals.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { navigate } from "../router.js";

type StatusFilter = "open" | "triggered" | "acknowledged" | "resolved";
const FILTERS: readonly StatusFilter[] = ["open", "triggered", "acknowledged", "resolved"];

interface Actionability {
  pages: number;
  nonActionable: number;
  nonActionableShare: number;
  byAlert: { alert: string; pages: number; nonActionable: number; nonActionableShare: number }[];
}

const STATUS_CLASS: Record<PageView["status"], string> = {
  triggered: "s-page",
  acknowledged: "s-ticket",
  resolved: "s-ok",
};

/** Severity of an incident declared in one click from a page (changed on the incident page if needed). */
const DECLARE_SEVERITY = "SEV2";

/** Page id → the incident declared from it (or linked to it), from the incidents list. */
function incidentsByPage(incidents: readonly IncidentView[]): Map<string, IncidentView> {
  const out = new Map<string, IncidentView>();
  for (const i of [...incidents].reverse()) for (const p of i.pageIds) if (!out.has(p)) out.set(p, i);
  return out;
}

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/** Open pages with one-click acknowledge/resolve, and recently resolved ones to mark actionable or not. */
export function PagesPage({ query }: { query: URLSearchParams }) {
  const status = (FILTERS as readonly string[]).includes(query.get("status") ?? "")
    ? (query.get("status") as StatusFilter)
    : "open";
  const [pages, setPages] = useState<PageView[] | undefined>(undefined);
  const [resolved, setResolved] = useState<PageView[]>([]);
  const [report, setReport] = useState<Actionability | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<number | undefined>(undefined);
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [incidents, setIncidents] = useState<Map<string, IncidentView>>(new Map());

  const load = () =>
    Promise.all([
      api<PageView[]>("GET", `/api/v1/pages?status=${status}&limit=200`),
      api<PageView[]>("GET", "/api/v1/pages?status=resolved&limit=20"),
      api<Actionability>("GET", "/api/v1/pages/actionability?days=30"),
      api<IncidentView[]>("GET", "/api/v1/incidents?limit=500"),
    ]).then(
      ([list, done, actionability, declared]) => {
        setPages(list);
        setResolved(done);
        setReport(actionability);
        setIncidents(incidentsByPage(declared));
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );

  useEffect(() => {
    setPages(undefined);
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [status]);

  const act = async (id: number, path: string, body?: unknown) => {
    setBusy(id);
    try {
      await api("POST", `/api/v1/pages/${id}/${path}`, body);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  /** One click: declares an incident from the page and opens it. */
  const declare = async (p: PageView) => {
    setBusy(p.id);
    try {
      const created = await api<IncidentView>("POST", "/api/v1/incidents", {
        title: p.title,
        severity: DECLARE_SEVERITY,
        services: [p.service],
        fromPageId: String(p.id),
      });
      navigate(`/incidents/${created.id}`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(undefined);
    }
  };

  return (
    <section>
      <h1>Pages</h1>
      <p class="muted">
        A page means a human must act now. Acknowledge to stop the escalation; once resolved, say whether it
        was actionable so noisy alerts can become tickets or logs.
      </p>
      <fieldset class="filters range-picker" aria-label="Status">
        {FILTERS.map((f) => (
          <button
            type="button"
            class={f === status ? "small" : "small ghost"}
            aria-pressed={f === status}
            onClick={() => navigate(f === "open" ? "/pages" : `/pages?status=${f}`)}
          >
            {f}
          </button>
        ))}
      </fieldset>
      {error ? (
        <p class="error" role="alert">
          Could not load or change pages: {error}. The list refreshes every 10 s.
        </p>
      ) : null}
      {pages === undefined ? (
        <p class="muted">Loading pages…</p>
      ) : pages.length === 0 ? (
        <p class="muted empty" data-testid="no-pages">
          {status === "open"
            ? "No open pages. Signals classified as page appear here (send one with `nines signal send`)."
            : `No ${status} pages.`}
        </p>
      ) : (
        <table class="list" data-testid="pages">
          <thead>
            <tr>
              <th>#</th>
              <th>Status</th>
              <th>Page</th>
              <th>Team</th>
              <th>Opened</th>
              <th>Acknowledged</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => (
              <tr data-testid={`page-${p.id}`}>
                <td class="num">{p.id}</td>
                <td>
                  <span class={`state-badge ${STATUS_CLASS[p.status]}`} data-testid="page-status">
                    {p.status}
                  </span>
                </td>
                <td>
                  <strong>{p.title}</strong>
                  <div class="small muted">
                    {p.service} · {p.severity} · rule {p.route.name}
                    {Object.keys(p.labels).length > 0 ? ` · ${labelsText(p.labels)}` : ""}
                  </div>
                </td>
                <td>{p.team ?? "—"}</td>
                <td>
                  <When at={p.createdAt} />
                </td>
                <td class="small">
                  {p.ackedAt === null ? (
                    "—"
                  ) : (
                    <>
                      {p.ackedBy} <When at={p.ackedAt} />
                    </>
                  )}
                </td>
                <td>
                  {p.status === "triggered" ? (
                    <button
                      type="button"
                      class="small"
                      disabled={busy === p.id}
                      onClick={() => act(p.id, "ack")}
                    >
                      Acknowledge
                    </button>
                  ) : null}{" "}
                  {p.status !== "resolved" ? (
                    <button
                      type="button"
                      class="small ghost"
                      disabled={busy === p.id}
                      onClick={() => act(p.id, "resolve")}
                    >
                      Resolve
                    </button>
                  ) : null}{" "}
                  {incidents.has(String(p.id)) ? (
                    <a
                      class="small"
                      href={`/incidents/${incidents.get(String(p.id))?.id}`}
                      data-testid="page-incident"
                    >
                      {incidents.get(String(p.id))?.id} ({incidents.get(String(p.id))?.status})
                    </a>
                  ) : (
                    <button
                      type="button"
                      class="small ghost"
                      disabled={busy === p.id}
                      title={`Declare a ${DECLARE_SEVERITY} incident from this page and open it`}
                      onClick={() => declare(p)}
                    >
                      Declare incident
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Recently resolved: was it actionable?</h2>
      {resolved.length === 0 ? (
        <p class="muted">No resolved pages yet.</p>
      ) : (
        <table class="list" data-testid="resolved-pages">
          <thead>
            <tr>
              <th>#</th>
              <th>Page</th>
              <th>Resolved</th>
              <th>Actionable</th>
              <th>Review</th>
            </tr>
          </thead>
          <tbody>
            {resolved.map((p) => (
              <tr>
                <td class="num">{p.id}</td>
                <td>
                  {p.title}
                  <div class="small muted">{p.service}</div>
                </td>
                <td class="small">
                  {p.resolvedBy} {p.resolvedAt === null ? null : <When at={p.resolvedAt} />}
                </td>
                <td>
                  {p.actionable === null ? (
                    <span class="muted">not reviewed</span>
                  ) : p.actionable ? (
                    <span class="s-ok state-badge">yes</span>
                  ) : (
                    <span class="s-page state-badge">
                      no{p.actionableReason ? `: ${p.actionableReason}` : ""}
                    </span>
                  )}
                </td>
                <td>
                  <input
                    class="small"
                    aria-label={`Reason for page ${p.id}`}
                    placeholder="why (optional)"
                    value={reasons[p.id] ?? ""}
                    onInput={(e) => setReasons({ ...reasons, [p.id]: (e.target as HTMLInputElement).value })}
                  />{" "}
                  <button
                    type="button"
                    class="small ghost"
                    disabled={busy === p.id}
                    onClick={() => act(p.id, "actionable", { actionable: true, reason: reasons[p.id] ?? "" })}
                  >
                    Actionable
                  </button>{" "}
                  <button
                    type="button"
                    class="small ghost"
                    disabled={busy === p.id}
                    onClick={() =>
                      act(p.id, "actionable", { actionable: false, reason: reasons[p.id] ?? "" })
                    }
                  >
                    Not actionable
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {report && report.pages > 0 ? (
        <>
          <h2>Noisiest alerts (last 30 days)</h2>
          <table class="list" data-testid="actionability">
            <thead>
              <tr>
                <th>Alert</th>
                <th class="num">Reviewed pages</th>
                <th class="num">Not actionable</th>
              </tr>
            </thead>
            <tbody>
              {report.byAlert.map((a) => (
                <tr>
                  <td>{a.alert}</td>
                  <td class="num">{a.pages}</td>
                  <td class="num">
                    {a.nonActionable} ({Math.round(a.nonActionableShare * 100)}%)
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
