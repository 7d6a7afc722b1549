import { useEffect, useState } from "preact/hooks";
import type { MaintenanceWindowDto } from "../../../src/signals/maintenance.schemas.js";
import type { SilenceDto } from "../../../src/signals/silences.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { duration } from "../format.js";
import { navigate } from "../router.js";
import { splitMatchers } from "./logs.js";

const VIEWS = ["current", "expired", "all"] as const;
const STATE_CLASS: Record<SilenceDto["state"], string> = {
  active: "s-ticket",
  pending: "s-no-data",
  expired: "muted",
};
const STATE_ICON: Record<SilenceDto["state"], string> = { active: "◆", pending: "○", expired: "–" };
const WINDOW_CLASS: Record<MaintenanceWindowDto["state"], string> = {
  active: "s-ticket",
  upcoming: "",
  past: "muted",
};

/** An instant relative to now: "in 1h30m" ahead, "5m ago" past; absolute UTC on hover. */
function Rel({ at }: { at: number }) {
  const iso = new Date(at).toISOString();
  return at > Date.now() ? (
    <time dateTime={iso} title={iso}>
      in {duration(Math.max(60_000, Math.round((at - Date.now()) / 60_000) * 60_000))}
    </time>
  ) : (
    <When at={at} />
  );
}

/** Silences (list by state, create, expire) and the maintenance windows planned per service. */
export function SilencesPage({ query }: { query: URLSearchParams }) {
  const view = (VIEWS as readonly string[]).includes(query.get("view") ?? "")
    ? query.get("view")!
    : "current";
  const [silences, setSilences] = useState<SilenceDto[] | undefined>(undefined);
  const [windows, setWindows] = useState<MaintenanceWindowDto[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const [form, setForm] = useState({ matchers: "", duration: "2h", comment: "" });
  const [busy, setBusy] = useState(false);

  const load = () => {
    const lists =
      view === "current"
        ? Promise.all([
            api<SilenceDto[]>("GET", "/api/v1/silences?state=active"),
            api<SilenceDto[]>("GET", "/api/v1/silences?state=pending"),
          ]).then(([a, p]) => [...a, ...p])
        : api<SilenceDto[]>("GET", `/api/v1/silences${view === "expired" ? "?state=expired" : ""}`);
    return Promise.all([lists, api<MaintenanceWindowDto[]>("GET", "/api/v1/maintenance-windows")]).then(
      ([list, planned]) => {
        setSilences(list);
        setWindows(planned.filter((w) => w.state !== "past"));
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  };
  useEffect(() => {
    setSilences(undefined);
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [view]);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api("POST", "/api/v1/silences", {
        matchers: splitMatchers(form.matchers),
        duration: form.duration.trim(),
        comment: form.comment,
      });
      setForm({ matchers: "", duration: form.duration, comment: "" });
      setFormError(undefined);
      await load();
    } catch (err) {
      setFormError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const expire = async (id: string) => {
    try {
      await api("DELETE", `/api/v1/silences/${encodeURIComponent(id)}`);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const removeWindow = async (id: string) => {
    try {
      await api("DELETE", `/api/v1/maintenance-windows/${encodeURIComponent(id)}`);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section>
      <h1>Silences</h1>
      <p class="muted">
        A silence mutes signals whose labels match all its matchers until it ends. Muted signals are still
        recorded; a silenced page still holds back its service's tickets.
      </p>
      <form class="card" onSubmit={create} data-testid="silence-form" style="max-width:820px">
        <div class="filters" style="margin:0;align-items:flex-end">
          <label style="flex:1">
            Matchers
            <br />
            <input
              style="width:100%"
              value={form.matchers}
              placeholder='service="db", env=~"prod|staging"'
              onInput={(e) => setForm({ ...form, matchers: (e.target as HTMLInputElement).value })}
            />
          </label>
          <label>
            Duration
            <br />
            <input
              size={6}
              value={form.duration}
              onInput={(e) => setForm({ ...form, duration: (e.target as HTMLInputElement).value })}
            />
          </label>
        </div>
        <label style="font-weight:500">
          Comment
          <br />
          <input
            style="width:100%"
            value={form.comment}
            placeholder="Why, and a link to the ticket or incident"
            onInput={(e) => setForm({ ...form, comment: (e.target as HTMLInputElement).value })}
          />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            Silence
          </button>
        </div>
        {formError ? (
          <p class="error" role="alert" data-testid="silence-form-error">
            {formError}
          </p>
        ) : null}
      </form>

      <fieldset class="filters range-picker" aria-label="Which silences">
        {VIEWS.map((v) => (
          <button
            type="button"
            class={v === view ? "small" : "small ghost"}
            aria-pressed={v === view}
            onClick={() => navigate(v === "current" ? "/silences" : `/silences?view=${v}`)}
          >
            {v === "current" ? "active and pending" : v}
          </button>
        ))}
      </fieldset>
      {error ? (
        <p class="error" role="alert">
          Could not load or change silences: {error}. The list refreshes every 15 s.
        </p>
      ) : null}
      {silences === undefined ? (
        <p class="muted">Loading silences…</p>
      ) : silences.length === 0 ? (
        <p class="muted empty" data-testid="no-silences">
          {view === "current"
            ? "Nothing is silenced. Create a silence above or with `nines silence add service=db --duration 2h --comment …`."
            : "No silences."}
        </p>
      ) : (
        <table class="list" data-testid="silences">
          <thead>
            <tr>
              <th>State</th>
              <th>Matchers</th>
              <th>Starts</th>
              <th>Ends</th>
              <th>By</th>
              <th>Comment</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {silences.map((s) => (
              <tr data-testid={`silence-${s.id}`}>
                <td>
                  <span class={`state-badge ${STATE_CLASS[s.state]}`}>
                    <span aria-hidden="true">{STATE_ICON[s.state]}</span> {s.state}
                  </span>
                </td>
                <td>
                  {s.matchers.map((m) => (
                    <code style="margin-right:4px;white-space:nowrap">{m}</code>
                  ))}
                </td>
                <td class="small">
                  <Rel at={s.startsAt} />
                </td>
                <td class="small">
                  <Rel at={s.endsAt} />
                </td>
                <td>{s.createdBy}</td>
                <td class="small">{s.comment}</td>
                <td>
                  {s.state !== "expired" ? (
                    <button type="button" class="small ghost" onClick={() => expire(s.id)}>
                      Expire
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Maintenance windows</h2>
      {windows.length === 0 ? (
        <p class="muted">
          No maintenance planned. Plan one with <code>POST /api/v1/maintenance-windows</code> (service, start,
          end, reason) or in the routing config's <code>maintenanceWindows</code>.
        </p>
      ) : (
        <table class="list" data-testid="maintenance-windows">
          <thead>
            <tr>
              <th>State</th>
              <th>Service</th>
              <th>When</th>
              <th>Holds back</th>
              <th>Reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr>
                <td>
                  <span class={`state-badge ${WINDOW_CLASS[w.state]}`}>{w.state}</span>
                </td>
                <td>{w.service}</td>
                <td class="small">
                  {w.start.replace("T", " ")} – {w.end.replace("T", " ")} {w.timeZone}
                  {w.recurrence === "weekly" ? " · weekly" : ""}
                </td>
                <td>{w.outcomes.join(", ")}</td>
                <td class="small">
                  {w.reason} <span class="muted">({w.createdBy})</span>
                </td>
                <td>
                  <button type="button" class="small ghost" onClick={() => removeWindow(w.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
