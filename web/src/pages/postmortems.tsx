import { useEffect, useState } from "preact/hooks";
import type { Static } from "typebox";
import type {
  OverduePostmortemSchema,
  SearchHitSchema,
} from "../../../src/incidents/incident-api.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { duration } from "../format.js";
import { navigate } from "../router.js";

type Hit = Static<typeof SearchHitSchema>;
type Overdue = Static<typeof OverduePostmortemSchema>;

/** Search over published postmortems (text, service, cause) and the overdue list. */
export function PostmortemsPage({ query }: { query: URLSearchParams }) {
  const q = query.get("q") ?? "";
  const service = query.get("service") ?? "";
  const cause = query.get("cause") ?? "";
  const [text, setText] = useState(q);
  const [hits, setHits] = useState<Hit[] | undefined>(undefined);
  const [overdue, setOverdue] = useState<Overdue[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    const qs = new URLSearchParams();
    if (q) qs.set("q", q);
    if (service) qs.set("service", service);
    if (cause) qs.set("cause", cause);
    Promise.all([
      api<Hit[]>("GET", `/api/v1/postmortems/search?${qs}`),
      api<Overdue[]>("GET", "/api/v1/postmortems/overdue"),
    ]).then(
      ([h, o]) => {
        setHits(h);
        setOverdue(o);
      },
      (err: Error) => setError(err.message),
    );
  }, [q, service, cause]);
  return (
    <section>
      <p class="crumbs">
        <a href="/incidents">Incidents</a> / postmortems
      </p>
      <h1>Postmortems</h1>
      <form
        style="flex-direction:row;align-items:center;max-width:640px"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(query);
          if (text.trim()) next.set("q", text.trim());
          else next.delete("q");
          navigate(`/postmortems?${next}`);
        }}
      >
        <input
          aria-label="Search postmortems"
          placeholder="Search published postmortems"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          style="flex:1"
        />
        <button type="submit" class="small">
          Search
        </button>
      </form>
      {service || cause ? (
        <p class="small muted">
          {service ? `service ${service} ` : ""}
          {cause ? `cause ${cause}` : ""} · <a href="/postmortems">clear filters</a>
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {overdue.length > 0 ? (
        <div class="card" data-testid="overdue-postmortems" style="margin:12px 0">
          <div class="tile-label overdue-text">Overdue postmortems</div>
          <ul style="margin:0;padding-left:18px">
            {overdue.map((o) => (
              <li>
                <a href={`/incidents/${o.incidentId}`}>{o.title}</a> — overdue by {duration(o.overdueMs)} (
                {o.triggers.map((t) => t.ruleId).join(", ")})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {hits === undefined ? (
        <p class="muted">Searching…</p>
      ) : hits.length === 0 ? (
        <p class="muted empty">No published postmortem matches.</p>
      ) : (
        <table class="list" data-testid="postmortem-hits">
          <thead>
            <tr>
              <th>Postmortem</th>
              <th>Services</th>
              <th>Causes</th>
              <th>Published</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((h) => (
              <tr>
                <td>
                  <a href={`/postmortems/${h.postmortemId}`}>{h.title}</a>
                  <div class="small muted">{h.summary.slice(0, 160)}</div>
                </td>
                <td>
                  {h.services.map((s) => (
                    <a href={`/postmortems?service=${encodeURIComponent(s)}`} style="margin-right:6px">
                      {s}
                    </a>
                  ))}
                </td>
                <td>
                  {h.causeTags.map((c) => (
                    <a href={`/postmortems?cause=${encodeURIComponent(c)}`} style="margin-right:6px">
                      {c}
                    </a>
                  ))}
                </td>
                <td>{h.publishedAt !== undefined ? <When at={h.publishedAt} /> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
