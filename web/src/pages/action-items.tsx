import { useEffect, useState } from "preact/hooks";
import type { Static } from "typebox";
import type { ActionItemSchema, ActionItemStatsSchema } from "../../../src/incidents/incident-api.schemas.js";
import { api } from "../api.js";
import { duration } from "../format.js";

type Item = Static<typeof ActionItemSchema>;
type Stats = Static<typeof ActionItemStatsSchema>;

const COLUMNS = [
  ["open", "Open"],
  ["in-progress", "In progress"],
  ["done", "Done"],
  ["wont-do", "Won't do"],
] as const;
const MOVES: Record<string, string[]> = {
  open: ["in-progress", "done", "wont-do"],
  "in-progress": ["open", "done", "wont-do"],
  done: ["open"],
  "wont-do": ["open"],
};

/** The action-item board: a column per status, overdue items marked, completion rates per service and team. */
export function ActionItemsPage() {
  const [items, setItems] = useState<Item[] | undefined>(undefined);
  const [stats, setStats] = useState<Stats | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = () =>
    Promise.all([
      api<Item[]>("GET", "/api/v1/action-items"),
      api<Stats>("GET", "/api/v1/action-items/stats"),
    ]).then(
      ([i, s]) => {
        setItems(i);
        setStats(s);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  useEffect(() => {
    load();
  }, []);
  const move = async (id: string, status: string) => {
    try {
      await api("PATCH", `/api/v1/action-items/${id}`, { status });
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const now = Date.now();
  return (
    <section>
      <p class="crumbs">
        <a href="/incidents">Incidents</a> / action items
      </p>
      <h1>Action items</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {stats && stats.byService.length > 0 ? (
        <p class="summary-line small" data-testid="completion">
          Completion:{" "}
          {stats.byService.map((r) => (
            <span class="badge">
              {r.key} {r.rate === null ? "—" : `${Math.round(r.rate * 100)}%`} ({r.done}/{r.total - r.wontDo})
            </span>
          ))}
        </p>
      ) : null}
      {items === undefined ? (
        <p class="muted">Loading…</p>
      ) : (
        <div
          style="display:grid;grid-template-columns:repeat(4,minmax(200px,1fr));gap:12px"
          data-testid="board"
        >
          {COLUMNS.map(([status, label]) => {
            const column = items.filter((i) => i.status === status);
            return (
              <div data-testid={`column-${status}`}>
                <div class="tile-label">
                  {label} ({column.length})
                </div>
                {column.map((i) => {
                  const late = (i.status === "open" || i.status === "in-progress") && i.dueAt < now;
                  return (
                    <div class="card" style="margin-bottom:8px">
                      <div>
                        <strong>{i.priority}</strong> {i.description}
                      </div>
                      <div class="small muted">
                        {i.type} · {i.owner}
                        {i.service ? ` · ${i.service}` : ""}
                        {i.team ? ` · ${i.team}` : ""} ·{" "}
                        <a href={`/postmortems/${i.postmortemId}`}>{i.postmortemId}</a>
                      </div>
                      <div class={`small ${late ? "overdue-text" : "muted"}`}>
                        {late
                          ? `▲ overdue by ${duration(now - i.dueAt)}`
                          : `due ${new Date(i.dueAt).toISOString().slice(0, 10)}`}
                        {i.issueUrl ? (
                          <>
                            {" "}
                            · <a href={i.issueUrl}>issue</a>
                          </>
                        ) : null}
                      </div>
                      <select
                        aria-label={`Move ${i.id}`}
                        value={i.status}
                        onChange={(e) => move(i.id, (e.target as HTMLSelectElement).value)}
                      >
                        <option value={i.status}>{label}</option>
                        {(MOVES[i.status] ?? []).map((m) => (
                          <option value={m}>{COLUMNS.find((c) => c[0] === m)?.[1] ?? m}</option>
                        ))}
                      </select>
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
