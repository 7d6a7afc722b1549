import { useEffect, useState } from "preact/hooks";
import type { IncidentView, PostmortemView } from "../../../src/incidents/incident-api.schemas.js";
import { api } from "../api.js";
import {
  IncidentRequirement,
  IncidentSeverity,
  IncidentStatus,
  IncidentTimeline,
  NEXT_STATUS,
  type TimelineLine,
} from "../components/incident-parts.js";
import { When } from "../components/when.js";
import { navigate } from "../router.js";

const ROLES = ["commander", "communications", "operations", "scribe"] as const;

interface Detail {
  incident: IncidentView;
  timeline: TimelineLine[];
}

/** Role holders, editable in place (empty = nobody). */
function Roles({
  incident,
  onChange,
}: {
  incident: IncidentView;
  onChange: (roles: Record<string, string | null>) => Promise<void>;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft({ ...incident.roles }), [incident.id, JSON.stringify(incident.roles)]);
  const dirty = ROLES.some((r) => (draft[r] ?? "") !== (incident.roles[r] ?? ""));
  const closed = incident.status === "resolved";
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        await onChange(Object.fromEntries(ROLES.map((r) => [r, draft[r]?.trim() ? draft[r]!.trim() : null])));
      }}
      data-testid="roles"
    >
      {ROLES.map((r) => (
        <label style="display:flex;gap:8px;align-items:center;font-weight:500">
          <span style="width:130px">{r}</span>
          <input
            value={draft[r] ?? ""}
            disabled={closed}
            placeholder="nobody"
            aria-label={`Role ${r}`}
            style="flex:1;min-width:0"
            onInput={(e) => setDraft({ ...draft, [r]: (e.target as HTMLInputElement).value })}
          />
        </label>
      ))}
      <div>
        <button type="submit" class="small" disabled={!dirty || closed}>
          Save roles
        </button>
      </div>
    </form>
  );
}

/** One incident: status buttons, roles, requirement, live timeline (polled) and a note box. */
export function IncidentDetailPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<Detail | undefined>(undefined);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const load = () =>
    api<Detail>("GET", `/api/v1/incidents/${id}`).then(
      (d) => {
        setDetail(d);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  useEffect(() => {
    load();
    const timer = setInterval(load, 5_000);
    return () => clearInterval(timer);
  }, [id]);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(undefined);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!detail) return <p class="muted">{error ?? "Loading incident…"}</p>;
  const i = detail.incident;
  return (
    <section>
      <p class="crumbs">
        <a href="/incidents">Incidents</a> / {i.id}
      </p>
      <h1 data-testid="incident-title">{i.title}</h1>
      <p class="summary-line">
        <IncidentSeverity severity={i.severity} /> · <IncidentStatus status={i.status} /> ·{" "}
        {i.services.join(", ")} ·{" "}
        {i.source === "detector"
          ? "found without paging"
          : i.source === "page"
            ? `from page ${i.detectionRef}`
            : `declared by ${i.declaredBy}`}{" "}
        · declared <When at={i.declaredAt} />
      </p>
      <div class="filters" data-testid="status-buttons">
        {(NEXT_STATUS[i.status] ?? []).map((s) => (
          <button
            type="button"
            class={s === "resolved" ? "" : "ghost"}
            onClick={() =>
              act(() =>
                s === "resolved"
                  ? api("POST", `/api/v1/incidents/${i.id}/resolve`, {})
                  : api("PATCH", `/api/v1/incidents/${i.id}`, { status: s }),
              )
            }
          >
            {s === "investigating" && i.status === "resolved" ? "Reopen" : `Mark ${s}`}
          </button>
        ))}
        <select
          aria-label="Severity"
          value={i.severity}
          onChange={(e) =>
            act(() =>
              api("PATCH", `/api/v1/incidents/${i.id}`, { severity: (e.target as HTMLSelectElement).value }),
            )
          }
        >
          {["SEV1", "SEV2", "SEV3", "SEV4"].map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="tiles">
        <div class="card">
          <div class="tile-label">Roles</div>
          <Roles
            incident={i}
            onChange={(roles) => act(() => api("PATCH", `/api/v1/incidents/${i.id}`, { roles }))}
          />
        </div>
        <div class="card">
          <div class="tile-label">Postmortem</div>
          <IncidentRequirement incident={i} />
          {i.postmortem ? (
            <p>
              <a href={`/postmortems/${i.postmortem.id}`} data-testid="postmortem-link">
                {i.postmortem.id} ({i.postmortem.status})
              </a>
            </p>
          ) : (
            <p>
              <button
                type="button"
                class="small"
                onClick={() =>
                  act(async () => {
                    const pm = await api<PostmortemView>("POST", `/api/v1/incidents/${i.id}/postmortem`, {});
                    navigate(`/postmortems/${pm.id}`);
                  })
                }
              >
                Start the postmortem
              </button>
            </p>
          )}
          {i.relatedPostmortems.length > 0 ? (
            <div data-testid="recurrence">
              <div class="tile-label" style="margin-top:10px">
                Same service and cause before
              </div>
              <ul style="margin:0;padding-left:18px">
                {i.relatedPostmortems.map((r) => (
                  <li>
                    <a href={`/postmortems/${r.postmortemId}`}>{r.title}</a> ({r.incidentId}) ·{" "}
                    {r.openActionItems?.length ?? 0} open action items
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div class="card">
          <div class="tile-label">Impact</div>
          <p style="margin:0" class="small">
            {i.customerImpact.userVisible ? "User-visible" : "No user-visible impact recorded"}
            {i.customerImpact.dataLoss ? " · data loss" : ""}
          </p>
          {i.budgetConsumed.map((b) => (
            <p class="small" style="margin:4px 0 0">
              {b.sloId}: {(b.fraction * 100).toFixed(1)}% of the error budget
            </p>
          ))}
          {i.slos.length > 0 && i.budgetConsumed.length === 0 ? (
            <p class="small muted">SLOs: {i.slos.join(", ")}</p>
          ) : null}
        </div>
      </div>
      <h2>Timeline</h2>
      <form
        style="flex-direction:row;align-items:center;max-width:760px"
        onSubmit={(e) => {
          e.preventDefault();
          act(async () => {
            await api("POST", `/api/v1/incidents/${i.id}/timeline`, { text: note.trim() });
            setNote("");
          });
        }}
      >
        <input
          aria-label="Timeline note"
          placeholder="Add a note to the timeline"
          value={note}
          onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          style="flex:1"
        />
        <button type="submit" class="small" disabled={note.trim() === ""}>
          Add note
        </button>
      </form>
      <p class="small muted">Times in your time zone; hover for UTC. Refreshes every 5 s.</p>
      <IncidentTimeline events={detail.timeline} />
    </section>
  );
}
