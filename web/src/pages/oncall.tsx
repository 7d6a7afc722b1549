import { useEffect, useState } from "preact/hooks";
import type { CheckView, OnCallEntry, OnCallNow, ShiftsView } from "../../../src/oncall/oncall.schemas.js";
import { api } from "../api.js";
import { localTime, OncallCalendar, personColour } from "../components/oncall-calendar.js";
import { duration } from "../format.js";
import { navigate } from "../router.js";

const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Local midnight of a "YYYY-MM-DD" in the viewer's zone, or of today. */
function startOfDay(date: string | null): number {
  const m = date === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Local midnight `days` later (a day is 23 or 25 hours across a DST change). */
function addDays(ms: number, days: number): number {
  const d = new Date(ms);
  d.setDate(d.getDate() + days);
  return d.getTime();
}

function dateParam(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function NowCard({ entry }: { entry: OnCallEntry }) {
  const gap = entry.personId === null;
  return (
    <div class="tile oncall-now" data-testid={`now-${entry.schedule.id}`}>
      <div class="tile-label">
        {entry.team?.name ?? "No team"} · {entry.schedule.name}
      </div>
      {gap ? (
        <div class="tile-value s-page">Nobody on call</div>
      ) : (
        <div class="tile-value">{entry.person?.name ?? entry.personId}</div>
      )}
      <div class="tile-sub">
        {gap ? (
          "gap"
        ) : entry.override ? (
          <span class="badge oncall-override-badge">override</span>
        ) : (
          `via ${entry.layer?.name ?? "-"}`
        )}
        {" · "}until{" "}
        <time dateTime={new Date(entry.until).toISOString()} title={new Date(entry.until).toISOString()}>
          {localTime(entry.until)}
        </time>{" "}
        (in {duration(entry.until - Date.now())})
      </div>
      {entry.person && entry.person.contacts.length > 0 ? (
        <ul class="oncall-contacts small">
          {entry.person.contacts.map((c) => (
            <li>
              <span class="muted">{c.kind}</span>{" "}
              {c.kind === "email" ? <a href={`mailto:${c.address}`}>{c.address}</a> : c.address}
            </li>
          ))}
        </ul>
      ) : null}
      {entry.next ? (
        <div class="tile-sub">
          Next: <strong>{entry.next.name}</strong> at {localTime(entry.next.start)}
        </div>
      ) : null}
    </div>
  );
}

/** Who is on call now per team, and a two-week calendar of one schedule; everything in the URL. */
export function OncallPage({ query }: { query: URLSearchParams }) {
  const [now, setNow] = useState<OnCallNow | undefined>(undefined);
  const [view, setView] = useState<ShiftsView | undefined>(undefined);
  const [check, setCheck] = useState<CheckView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [showTable, setShowTable] = useState(false);
  const days = query.get("days") === "7" ? 7 : 14;
  const from = startOfDay(query.get("from"));
  const to = addDays(from, days);
  const schedules = now ? [...new Map(now.entries.map((e) => [e.schedule.id, e.schedule])).values()] : [];
  const scheduleId = query.get("schedule") ?? schedules[0]?.id;

  useEffect(() => {
    const load = () =>
      api<OnCallNow>("GET", "/api/v1/oncall/now").then(
        (n) => {
          setNow(n);
          setError(undefined);
        },
        (err: Error) => setError(err.message),
      );
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (scheduleId === undefined) return;
    const id = encodeURIComponent(scheduleId);
    Promise.all([
      api<ShiftsView>("GET", `/api/v1/schedules/${id}/shifts?from=${from}&to=${to}`),
      // Load evens out over whole rotations only, so it is judged over 12 weeks whatever the range shown.
      api<CheckView>("GET", `/api/v1/schedules/${id}/check?weeks=12`),
    ]).then(
      ([v, c]) => {
        setView(v);
        setCheck(c);
      },
      (err: Error) => setError(err.message),
    );
  }, [scheduleId, from, to, days]);

  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    navigate(`/oncall${qs ? `?${qs}` : ""}`);
  };

  if (error)
    return (
      <p class="error" role="alert">
        Could not load on-call data: {error}. It retries every 30 s.
      </p>
    );
  if (!now) return <p class="muted">Loading on-call…</p>;
  if (now.entries.length === 0) {
    return (
      <section class="empty">
        <h1>On-call</h1>
        <p>
          No schedules yet. Describe people, teams, services, schedules and escalation policies in one YAML
          file and apply it with <code>nines oncall apply -f oncall.yaml</code> (see{" "}
          <code>examples/oncall.yaml</code>
          ).
        </p>
      </section>
    );
  }
  const names = new Map(view?.people.map((p) => [p.id, p.name]) ?? []);
  const gaps = view?.shifts.filter((sh) => sh.personId === null) ?? [];
  const gapHours = gaps.reduce((sum, g) => sum + (g.end - g.start), 0) / 3_600_000;
  return (
    <section>
      <h1>On-call</h1>
      <h2>On call now</h2>
      <div class="tiles" data-testid="oncall-now">
        {now.entries.map((e) => (
          <NowCard entry={e} />
        ))}
      </div>
      <h2>Schedule</h2>
      <div class="filters">
        <label>
          Schedule{" "}
          <select
            value={scheduleId}
            onChange={(e) => go({ schedule: (e.target as HTMLSelectElement).value })}
          >
            {schedules.map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
        <fieldset class="range-picker" aria-label="Range">
          <button
            type="button"
            class="ghost small"
            onClick={() => go({ from: dateParam(addDays(from, -days)) })}
          >
            ◀ Earlier
          </button>
          <button type="button" class="ghost small" onClick={() => go({ from: undefined })}>
            Today
          </button>
          <button
            type="button"
            class="ghost small"
            onClick={() => go({ from: dateParam(addDays(from, days)) })}
          >
            Later ▶
          </button>
          <button
            type="button"
            class={days === 7 ? "small" : "ghost small"}
            onClick={() => go({ days: "7" })}
          >
            7 days
          </button>
          <button
            type="button"
            class={days === 14 ? "small" : "ghost small"}
            onClick={() => go({ days: undefined })}
          >
            14 days
          </button>
        </fieldset>
      </div>
      {view ? (
        <>
          <p class="small muted" data-testid="zone-note">
            Times in your zone, <strong>{viewerZone}</strong>; the schedule hands off in{" "}
            <strong>{view.schedule.timeZone}</strong>. Hover a bar for UTC.
          </p>
          <p class={gaps.length > 0 ? "error" : "small"} data-testid="check-summary">
            {gaps.length > 0
              ? `${gaps.length} gap(s) with nobody on call in this range (${gapHours.toFixed(1)} h), first at ${localTime(gaps[0]!.start)}.`
              : "No gaps in this range."}
          </p>
          {check && check.imbalances.length > 0 ? (
            <p class="small muted" data-testid="load-summary">
              Unequal load over the next {check.weeks} weeks (more than ±{Math.round(check.tolerance * 100)}%
              from the mean):{" "}
              {check.imbalances
                .map(
                  (i) =>
                    `${names.get(i.personId) ?? i.personId} ${i.hours.toFixed(0)} h (${i.deviation > 0 ? "+" : ""}${Math.round(i.deviation * 100)}%)`,
                )
                .join(", ")}
              .
            </p>
          ) : null}
          <OncallCalendar view={view} compact={days > 7} />
          <div class="cal-legend small">
            {view.people.map((p) => (
              <span>
                <span class="cal-swatch" style={{ background: personColour(view, p.id) }} /> {p.name}
              </span>
            ))}
            <span>
              <span class="cal-swatch cal-gap" /> gap (nobody on call)
            </span>
            <span>
              <span class="cal-swatch cal-override" style={{ background: "var(--muted)" }} /> override
            </span>
          </div>
          <button type="button" class="ghost small" onClick={() => setShowTable(!showTable)}>
            {showTable ? "Hide table" : "Show table"}
          </button>
          {showTable ? (
            <table class="list" data-testid="shifts-table">
              <thead>
                <tr>
                  <th>From</th>
                  <th>To</th>
                  <th>On call</th>
                  <th>Decided by</th>
                </tr>
              </thead>
              <tbody>
                {view.shifts.map((s) => (
                  <tr>
                    <td>{localTime(s.start)}</td>
                    <td>{localTime(s.end)}</td>
                    <td class={s.personId === null ? "s-page" : ""}>
                      {s.personId === null ? "nobody (gap)" : (names.get(s.personId) ?? s.personId)}
                    </td>
                    <td>
                      {s.override ? "override" : (view.layers.find((l) => l.id === s.layerId)?.name ?? "-")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : (
        <p class="muted">Loading schedule…</p>
      )}
    </section>
  );
}
