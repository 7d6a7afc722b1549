import { useEffect, useState } from "preact/hooks";
import type { Static } from "typebox";
import type {
  AttemptSchema,
  NotificationDetailSchema,
  NotificationSchema,
  ReceiverView,
} from "../../../src/notifications/notifications.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { duration } from "../format.js";
import { navigate } from "../router.js";
import { NotificationTabs, StatusBadge, shortError } from "./receivers.js";

type NotificationDto = Static<typeof NotificationSchema>;
type NotificationDetailDto = Static<typeof NotificationDetailSchema>;
type AttemptDto = Static<typeof AttemptSchema>;

const PAGE_SIZE = 50;
const STATUSES = ["pending", "delivered", "failed"] as const;
const OUTCOME_CLASS: Record<string, string> = {
  success: "s-ok",
  retry: "s-ticket",
  failed: "s-page",
  skipped: "s-no-data",
};
const OUTCOME_ICON: Record<string, string> = { success: "✓", retry: "↻", failed: "✕", skipped: "–" };

/** This page's URL with some query parameters set (or removed when empty). */
function withParams(query: URLSearchParams, params: Record<string, string>): string {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const qs = next.toString();
  return `/notifications${qs ? `?${qs}` : ""}`;
}

/** Who the notification is for: a receiver by name or a person. */
function recipient(n: NotificationDto): string {
  return n.target.type === "person" ? `person ${n.target.personId ?? "?"}` : (n.target.receiverId ?? "?");
}

/** An absolute time, local with UTC on hover. */
function At({ at }: { at: number }) {
  const d = new Date(at);
  const iso = d.toISOString();
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {d.toLocaleString(undefined, {
        year: "numeric",
        month: "short",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })}
    </time>
  );
}

/** "in 40s" ahead, "just now"/"5m ago" past. */
function Soon({ at }: { at: number }) {
  const iso = new Date(at).toISOString();
  const ahead = at - Date.now();
  return ahead > 0 ? (
    <time dateTime={iso} title={iso}>
      in {duration(Math.max(1000, Math.round(ahead / 1000) * 1000))}
    </time>
  ) : (
    <When at={at} />
  );
}

/** What happened last: delivered when, failed why, or when the next attempt is due. */
function Outcome({ n }: { n: NotificationDto }) {
  if (n.status === "delivered" && n.deliveredAt !== undefined)
    return (
      <span class="small">
        delivered <When at={n.deliveredAt} />
      </span>
    );
  if (n.status === "failed")
    return (
      <span class="small">
        <span class="s-page" title={n.lastError}>
          {n.lastError ? shortError(n.lastError, recipient(n)) : "failed"}
        </span>
        {n.failedAt !== undefined ? (
          <span class="muted">
            {" "}
            · <When at={n.failedAt} />
          </span>
        ) : null}
      </span>
    );
  return (
    <span class="small">
      {n.lastError ? (
        <span class="s-ticket" title={n.lastError}>
          {shortError(n.lastError, recipient(n))} ·{" "}
        </span>
      ) : null}
      next attempt <Soon at={n.nextAttemptAt} />
    </span>
  );
}

/** "+120 ms", "+3s" after the notification was queued. */
const after = (ms: number) => `+${ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : duration(ms)}`;

function Attempts({ log, queuedAt }: { log: readonly AttemptDto[]; queuedAt: number }) {
  if (log.length === 0) return <p class="muted">No attempt yet: the delivery worker has not reached it.</p>;
  return (
    <table class="list" data-testid="attempts">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>Time</th>
          <th>Receiver</th>
          <th>Outcome</th>
          <th class="num">Status</th>
          <th>Error / answer</th>
          <th class="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {log.map((a) => (
          <tr data-testid="attempt">
            <td class="num">{a.attempt}</td>
            <td class="small">
              <At at={a.at} /> <span class="muted">({after(a.at - queuedAt)})</span>
            </td>
            <td>{a.receiver}</td>
            <td>
              <span class={`state-badge ${OUTCOME_CLASS[a.outcome] ?? ""}`}>
                <span aria-hidden="true">{OUTCOME_ICON[a.outcome] ?? "·"}</span> {a.outcome}
              </span>
            </td>
            <td class="num">{a.statusCode ?? <span class="muted">—</span>}</td>
            <td class="small error-text" title={a.error}>
              {a.error ? shortError(a.error) : <span class="muted">—</span>}
            </td>
            <td class="num">
              {a.durationMs < 1000 ? `${Math.round(a.durationMs)} ms` : duration(a.durationMs)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One notification: what was sent to whom, and every attempt with the receiver's answer. */
export function NotificationDetailPage({ id }: { id: number }) {
  const [n, setN] = useState<NotificationDetailDto | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api<NotificationDetailDto>("GET", `/api/v1/notifications/${id}`).then(
        (found) => {
          setN(found);
          setError(undefined);
          if (found.status === "pending") timer = setTimeout(load, 2000);
        },
        (err: Error) => setError(err.message),
      );
    load();
    return () => clearTimeout(timer);
  }, [id]);
  if (error)
    return (
      <section>
        <p class="crumbs">
          <a href="/notifications">Notifications</a> / #{id}
        </p>
        <p class="error" role="alert">
          Could not load notification {id}: {error}
        </p>
      </section>
    );
  if (!n) return <p class="muted">Loading notification {id}…</p>;
  const m = n.message;
  const subject = `${m.subject.kind}:${m.subject.id}`;
  return (
    <section data-testid="notification-detail">
      <p class="crumbs">
        <a href="/notifications">Notifications</a> / #{n.id}
      </p>
      <h1>
        <StatusBadge status={n.status} /> {m.title}
      </h1>
      <div class="tiles">
        <div class="tile">
          <div class="tile-label">Sent to</div>
          <div class="tile-value">
            {n.target.type === "receiver" ? (
              <a href={`/notifications?receiver=${encodeURIComponent(recipient(n))}`}>{recipient(n)}</a>
            ) : (
              recipient(n)
            )}
          </div>
          <div class="tile-sub">
            {n.target.type === "receiver" ? "receiver" : "person, through their contacts"}
            {n.progress.length > 0 ? ` · reached ${n.progress.join(", ")}` : ""}
          </div>
        </div>
        <div class="tile">
          <div class="tile-label">Status</div>
          <div class="tile-value">
            <StatusBadge status={n.status} />
          </div>
          <div class="tile-sub">
            <Outcome n={n} />
          </div>
        </div>
        <div class="tile">
          <div class="tile-label">Attempts</div>
          <div class="tile-value">{n.attemptLog.length}</div>
          <div class="tile-sub">
            {n.attempts} round{n.attempts === 1 ? "" : "s"} · queued <When at={n.createdAt} />
          </div>
        </div>
      </div>
      <dl class="facts">
        <dt>Event</dt>
        <dd>{m.event}</dd>
        <dt>Subject</dt>
        <dd>
          <a href={`/notifications?subject=${encodeURIComponent(subject)}`}>{subject}</a>
        </dd>
        <dt>Service</dt>
        <dd>
          {m.service}
          {m.team ? ` · team ${m.team}` : ""}
        </dd>
        <dt>Severity</dt>
        <dd>
          {m.severity} · {m.outcome}
        </dd>
        <dt>Summary</dt>
        <dd>{m.summary || <span class="muted">—</span>}</dd>
        <dt>Queued</dt>
        <dd>
          <At at={n.createdAt} />
        </dd>
        {n.deliveredAt !== undefined ? (
          <>
            <dt>Delivered</dt>
            <dd>
              <At at={n.deliveredAt} />
            </dd>
          </>
        ) : null}
        {n.failedAt !== undefined ? (
          <>
            <dt>Failed</dt>
            <dd>
              <At at={n.failedAt} /> ·{" "}
              <span class="s-page">{n.lastError && shortError(n.lastError, recipient(n))}</span>
            </dd>
          </>
        ) : null}
        {n.status === "pending" ? (
          <>
            <dt>Next attempt</dt>
            <dd>
              <At at={n.nextAttemptAt} /> (<Soon at={n.nextAttemptAt} />)
            </dd>
          </>
        ) : null}
        <dt>Dedup key</dt>
        <dd>
          <code>{n.dedupKey}</code>
        </dd>
        {Object.keys(m.labels).length > 0 ? (
          <>
            <dt>Labels</dt>
            <dd>
              {Object.entries(m.labels).map(([k, v]) => (
                <code style="margin-right:4px">
                  {k}={v}
                </code>
              ))}
            </dd>
          </>
        ) : null}
        {m.links.length > 0 ? (
          <>
            <dt>Links</dt>
            <dd>
              {m.links.map((l, i) => (
                <>
                  {i > 0 ? " · " : ""}
                  <a href={l.url} target="_blank" rel="noreferrer">
                    {l.title ?? l.url}
                  </a>
                </>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Attempts</h2>
      <Attempts log={n.attemptLog} queuedAt={n.createdAt} />
    </section>
  );
}

/** The notification audit log: who was notified, when, through which receiver, and how it went. */
export function NotificationsPage({ query }: { query: URLSearchParams }) {
  const status = query.get("status") ?? "";
  const receiver = query.get("receiver") ?? "";
  const subject = query.get("subject") ?? "";
  const before = query.get("before") ?? "";
  const limit = Math.min(1000, Math.max(1, Math.floor(Number(query.get("limit"))) || PAGE_SIZE));
  const [list, setList] = useState<NotificationDto[] | undefined>(undefined);
  const [receivers, setReceivers] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [subjectText, setSubjectText] = useState(subject);

  const load = () => {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (status) qs.set("status", status);
    if (receiver) qs.set("receiver", receiver);
    if (subject) qs.set("subject", subject);
    if (before) qs.set("before", before);
    return api<NotificationDto[]>("GET", `/api/v1/notifications?${qs}`).then(
      (found) => {
        setList(found);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  };
  useEffect(() => {
    setSubjectText(subject);
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [status, receiver, subject, before, limit]);
  useEffect(() => {
    api<ReceiverView[]>("GET", "/api/v1/receivers").then(
      (rs) => setReceivers(rs.map((r) => r.name)),
      () => setReceivers([]),
    );
  }, []);

  const filter = (params: Record<string, string>) => navigate(withParams(query, { before: "", ...params }));
  const filtered = status !== "" || receiver !== "" || subject !== "";
  const last = list?.[list.length - 1];

  return (
    <section>
      <h1>Notifications</h1>
      <NotificationTabs current="notifications" />
      <p class="muted">
        Every notification nines sent or is sending: who was notified, when, through which receiver, and each
        attempt with the receiver's answer. Newest first; refreshes every 10 s.
      </p>
      <form
        class="filters notification-filters"
        onSubmit={(e) => {
          e.preventDefault();
          filter({ subject: subjectText.trim() });
        }}
      >
        <label>
          Status{" "}
          <select value={status} onChange={(e) => filter({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Receiver{" "}
          <select
            value={receiver}
            onChange={(e) => filter({ receiver: (e.target as HTMLSelectElement).value })}
          >
            <option value="">all</option>
            {[...new Set([...receivers, ...(receiver ? [receiver] : [])])].map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Subject{" "}
          <input
            value={subjectText}
            size={22}
            placeholder="page or page:42"
            onInput={(e) => setSubjectText((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="small">
          Filter
        </button>
        {filtered ? (
          <a href="/notifications" class="button small ghost">
            Clear filters
          </a>
        ) : null}
      </form>
      {error ? (
        <p class="error" role="alert">
          Could not load notifications: {error}. The list refreshes every 10 s.
        </p>
      ) : null}
      {list === undefined ? (
        <p class="muted">Loading notifications…</p>
      ) : list.length === 0 ? (
        <p class="muted empty" data-testid="no-notifications">
          {filtered || before
            ? "No notifications match these filters."
            : "Nothing has been sent yet. Pages, tickets and their changes are notified through receivers; send a test from the receivers page or with `nines receiver test NAME`."}
        </p>
      ) : (
        <>
          <table class="list" data-testid="notifications">
            <thead>
              <tr>
                <th class="num">#</th>
                <th>Status</th>
                <th>Notification</th>
                <th>Receiver</th>
                <th class="num">Attempts</th>
                <th>Queued</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {list.map((n) => (
                <tr data-testid={`notification-${n.id}`} class={n.status === "failed" ? "overdue" : ""}>
                  <td class="num">
                    <a href={`/notifications/${n.id}`}>{n.id}</a>
                  </td>
                  <td>
                    <StatusBadge status={n.status} />
                  </td>
                  <td>
                    <a href={`/notifications/${n.id}`}>{n.message.title}</a>
                    <div class="small muted">
                      {n.message.event} · {n.message.subject.kind}:{n.message.subject.id} ·{" "}
                      {n.message.service}
                    </div>
                  </td>
                  <td class="nowrap">{recipient(n)}</td>
                  <td class="num">{n.attempts}</td>
                  <td class="small">
                    <When at={n.createdAt} />
                  </td>
                  <td class="result">
                    <Outcome n={n} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            {before ? (
              <a href={withParams(query, { before: "" })} class="button small ghost">
                ← Newest
              </a>
            ) : null}
            <span class="muted small">
              {list.length} shown{before ? ` · older than #${before}` : ""}
            </span>
            {list.length === limit && last ? (
              <a href={withParams(query, { before: String(last.id) })} class="button small ghost">
                Older →
              </a>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
