import { useEffect, useState } from "preact/hooks";
import type { TicketDetailDto, TicketDto } from "../../../src/signals/tickets.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { duration } from "../format.js";
import { navigate } from "../router.js";

const STATUS_FILTERS = ["active", "open", "in-progress", "done", "wont-do", "closed", "all"] as const;
const STATUSES = ["open", "in-progress", "done", "wont-do"] as const;
const STATUS_LABEL: Record<TicketDto["status"], string> = {
  open: "Open",
  "in-progress": "In progress",
  done: "Done",
  "wont-do": "Won't do",
};
const PRIORITY_CLASS: Record<TicketDto["priority"], string> = {
  p1: "s-page",
  p2: "s-ticket",
  p3: "",
  p4: "muted",
};

/** This page's URL with one query parameter set (or removed when empty). */
function withParam(query: URLSearchParams, key: string, value: string): string {
  const next = new URLSearchParams(query);
  if (value) next.set(key, value);
  else next.delete(key);
  const qs = next.toString();
  return `/tickets${qs ? `?${qs}` : ""}`;
}

/** Which statuses a ticket may move to from its own (a closed one can only be reopened). */
function nextStatuses(status: TicketDto["status"]): TicketDto["status"][] {
  return status === "done" || status === "wont-do" ? [status, "open"] : [...STATUSES];
}

/** Rounded to whole minutes: "10h8m", not "10h8s". */
const toMinutes = (ms: number) => Math.max(60_000, Math.round(ms / 60_000) * 60_000);

function Due({ ticket }: { ticket: TicketDto }) {
  const iso = new Date(ticket.dueAt).toISOString();
  const left = ticket.dueAt - Date.now();
  if (ticket.overdue)
    return (
      <time class="overdue-text" dateTime={iso} title={iso}>
        ▲ overdue by {duration(toMinutes(-left))}
      </time>
    );
  return (
    <time dateTime={iso} title={iso}>
      {ticket.status === "done" || ticket.status === "wont-do"
        ? iso.slice(0, 10)
        : `in ${duration(toMinutes(left))}`}
    </time>
  );
}

/** One ticket's description, activity and signals, with a comment box. */
function TicketDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const [ticket, setTicket] = useState<TicketDetailDto | undefined>(undefined);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const load = () =>
    api<TicketDetailDto>("GET", `/api/v1/tickets/${id}`).then(setTicket, (e: Error) => setError(e.message));
  useEffect(() => {
    load();
  }, [id]);
  const comment = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", `/api/v1/tickets/${id}/comments`, { body: text });
      setText("");
      setError(undefined);
      await load();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!ticket) return <p class="muted">{error ?? "Loading…"}</p>;
  return (
    <div class="card" data-testid="ticket-detail">
      {ticket.description ? <p style="margin-top:0;white-space:pre-wrap">{ticket.description}</p> : null}
      <div class="small muted">
        Opened <When at={ticket.createdAt} /> by {ticket.createdBy}
        {ticket.rule ? ` (rule ${ticket.rule})` : ""}
        {ticket.fingerprint ? ` · fingerprint ${ticket.fingerprint}` : ""} · {ticket.signals.length} signal
        {ticket.signals.length === 1 ? "" : "s"}
      </div>
      <h2 style="margin-top:12px">Activity</h2>
      {ticket.comments.length === 0 ? (
        <p class="muted small">No comments yet.</p>
      ) : (
        <ul style="margin:0;padding-left:18px" data-testid="ticket-activity">
          {ticket.comments.map((c) => (
            <li class={c.kind === "change" ? "muted small" : ""}>
              <strong>{c.author}</strong> {c.kind === "change" ? "changed " : ""}
              <span style="white-space:pre-wrap">{c.body}</span> · <When at={c.at} />
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={comment} style="flex-direction:row;align-items:center;margin-top:10px">
        <input
          aria-label="Comment"
          placeholder="Add a comment"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          style="flex:1"
        />
        <button type="submit" class="small" disabled={text.trim() === ""}>
          Comment
        </button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The ticket queue: per team, most pressing first, overdue ones marked; change status in one click. */
export function TicketsPage({ query }: { query: URLSearchParams }) {
  const team = query.get("team") ?? "";
  const status = query.get("status") ?? "active";
  const overdue = query.get("overdue") === "true";
  const open = query.get("ticket") ?? "";
  const [tickets, setTickets] = useState<TicketDto[] | undefined>(undefined);
  const [teams, setTeams] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<string | undefined>(undefined);

  const load = () => {
    const qs = new URLSearchParams();
    if (team) qs.set("team", team);
    if (status !== "all") qs.set("status", status);
    if (overdue) qs.set("overdue", "true");
    return Promise.all([
      api<TicketDto[]>("GET", `/api/v1/tickets?${qs}`),
      api<TicketDto[]>("GET", "/api/v1/tickets?limit=1000"),
    ]).then(
      ([list, all]) => {
        setTickets(list);
        setTeams([...new Set(all.map((t) => t.team).filter((t): t is string => t !== null))].sort());
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  };
  useEffect(() => {
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [team, status, overdue]);

  const setFilter = (key: string, value: string) => navigate(withParam(query, key, value));

  const change = async (id: string, patch: Record<string, unknown>) => {
    setBusy(id);
    try {
      await api("PATCH", `/api/v1/tickets/${id}`, patch);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const overdueCount = tickets?.filter((t) => t.overdue).length ?? 0;
  return (
    <section>
      <h1>Tickets</h1>
      <p class="muted">
        A ticket means a human must act within days. Signals the routing tree classifies as tickets open one
        per fingerprint; repeats link to it.
      </p>
      <div class="filters">
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
          Status{" "}
          <select
            value={status}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              setFilter("status", v === "active" ? "" : v);
            }}
          >
            {STATUS_FILTERS.map((s) => (
              <option value={s}>{s === "wont-do" ? "won't do" : s}</option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={overdue}
            onChange={(e) => setFilter("overdue", (e.target as HTMLInputElement).checked ? "true" : "")}
          />{" "}
          Overdue only
        </label>
      </div>
      {error ? (
        <p class="error" role="alert">
          Could not load or change tickets: {error}. The list refreshes every 15 s.
        </p>
      ) : null}
      {tickets === undefined ? (
        <p class="muted">Loading tickets…</p>
      ) : tickets.length === 0 ? (
        <p class="muted empty" data-testid="no-tickets">
          No tickets here. Signals classified as ticket open one (see the routing tree), or open one with{" "}
          <code>POST /api/v1/tickets</code>.
        </p>
      ) : (
        <>
          <p class="summary-line" data-testid="ticket-summary">
            {tickets.length} tickets ·{" "}
            <span class={overdueCount > 0 ? "overdue-text" : ""}>{overdueCount} overdue</span>
          </p>
          <table class="list" data-testid="tickets">
            <thead>
              <tr>
                <th>#</th>
                <th>Priority</th>
                <th>Ticket</th>
                <th>Team</th>
                <th>Assignee</th>
                <th>Due</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((t) => (
                <>
                  <tr class={t.overdue ? "overdue" : ""} data-testid={`ticket-${t.id}`}>
                    <td class="num">{t.id}</td>
                    <td>
                      <span class={`state-badge ${PRIORITY_CLASS[t.priority]}`}>
                        {t.priority.toUpperCase()}
                      </span>
                    </td>
                    <td>
                      <a
                        href={withParam(query, "ticket", open === t.id ? "" : t.id)}
                        aria-expanded={open === t.id}
                      >
                        {t.title}
                      </a>
                      <div class="small muted">
                        {t.service}
                        {t.signalCount > 0
                          ? ` · ${t.signalCount} signal${t.signalCount === 1 ? "" : "s"}`
                          : ""}
                        {t.rule ? ` · rule ${t.rule}` : ""}
                      </div>
                    </td>
                    <td>{t.team ?? "—"}</td>
                    <td>{t.assignee ?? <span class="muted">nobody</span>}</td>
                    <td>
                      <Due ticket={t} />
                    </td>
                    <td>
                      <select
                        aria-label={`Status of ticket ${t.id}`}
                        value={t.status}
                        disabled={busy === t.id}
                        onChange={(e) => change(t.id, { status: (e.target as HTMLSelectElement).value })}
                      >
                        {nextStatuses(t.status).map((s) => (
                          <option value={s}>{STATUS_LABEL[s]}</option>
                        ))}
                      </select>
                    </td>
                  </tr>
                  {open === t.id ? (
                    <tr>
                      <td colSpan={7}>
                        <TicketDetail id={t.id} onChanged={load} />
                      </td>
                    </tr>
                  ) : null}
                </>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
