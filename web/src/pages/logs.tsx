import { useEffect, useState } from "preact/hooks";
import type { LogEntryDto, LogPageDto } from "../../../src/signals/event-log.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { navigate } from "../router.js";

const RANGES: readonly [string, number][] = [
  ["1h", 3_600_000],
  ["6h", 6 * 3_600_000],
  ["24h", 86_400_000],
  ["7d", 7 * 86_400_000],
  ["30d", 30 * 86_400_000],
];

/** Splits `env="prod", zone=~"eu-.*"` at commas outside quotes. */
export function splitMatchers(text: string): string[] {
  return (text.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []).map((m) => m.trim()).filter((m) => m !== "");
}

/** Search the event log: words, service, label matchers and a time range, all in the URL. */
export function LogsPage({ query }: { query: URLSearchParams }) {
  const q = query.get("q") ?? "";
  const service = query.get("service") ?? "";
  const labels = query.get("labels") ?? "";
  const range = query.get("range") ?? "24h";
  const [form, setForm] = useState({ q, service, labels });
  const [entries, setEntries] = useState<LogEntryDto[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);

  const search = (after?: string) => {
    const qs = new URLSearchParams();
    if (q) qs.set("q", q);
    if (service) qs.set("service", service);
    for (const m of splitMatchers(labels)) qs.append("match", m);
    const span = RANGES.find(([name]) => name === range)?.[1];
    if (span !== undefined) qs.set("from", String(Date.now() - span));
    qs.set("limit", "100");
    if (after) qs.set("cursor", after);
    return api<LogPageDto>("GET", `/api/v1/logs?${qs}`).then(
      (page) => {
        setEntries((before) => (after ? [...(before ?? []), ...page.entries] : page.entries));
        setCursor(page.nextCursor);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  };
  useEffect(() => {
    setForm({ q, service, labels });
    setEntries(undefined);
    search();
  }, [q, service, labels, range]);

  const go = (next: { q: string; service: string; labels: string; range: string }) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v && !(k === "range" && v === "24h")) qs.set(k, v);
    const text = qs.toString();
    navigate(`/logs${text ? `?${text}` : ""}`);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    go({ ...form, range });
  };

  return (
    <section>
      <h1>Logs</h1>
      <p class="muted">
        Signals nobody needs to look at now, kept for analysis. Matchers read like Alertmanager's:{" "}
        <code>env="prod", severity!="info", zone=~"eu-.*"</code>.
      </p>
      <form
        class="filters"
        onSubmit={submit}
        style="flex-direction:row;align-items:flex-end"
        data-testid="log-search"
      >
        <label>
          Text
          <br />
          <input
            value={form.q}
            placeholder="words in title or text"
            onInput={(e) => setForm({ ...form, q: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          Service
          <br />
          <input
            value={form.service}
            placeholder="any"
            size={12}
            onInput={(e) => setForm({ ...form, service: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          Labels
          <br />
          <input
            value={form.labels}
            placeholder='env="prod"'
            size={28}
            onInput={(e) => setForm({ ...form, labels: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          Time range
          <br />
          <select
            value={range}
            onChange={(e) => go({ ...form, range: (e.target as HTMLSelectElement).value })}
          >
            {RANGES.map(([name]) => (
              <option value={name}>last {name}</option>
            ))}
            <option value="all">all kept</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          Search failed: {error}
        </p>
      ) : null}
      {entries === undefined ? (
        error ? null : (
          <p class="muted">Searching…</p>
        )
      ) : entries.length === 0 ? (
        <p class="muted empty" data-testid="no-logs">
          Nothing logged matches. Widen the time range or remove a filter; signals classified as log are kept
          for <code>signals.logRetentionDays</code>.
        </p>
      ) : (
        <>
          <table class="list" data-testid="logs">
            <thead>
              <tr>
                <th>When</th>
                <th>Service</th>
                <th>Event</th>
                <th>Labels</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td style="white-space:nowrap">
                    <When at={e.at} />
                  </td>
                  <td>{e.service}</td>
                  <td>
                    <strong>{e.title}</strong>
                    {e.text ? <div class="small">{e.text}</div> : null}
                    <div class="small muted">
                      {e.source}
                      {e.rule ? ` · rule ${e.rule}` : ""}
                    </div>
                  </td>
                  <td class="small">
                    {Object.entries(e.labels)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">
            {entries.length} entries, newest first.{" "}
            {cursor ? (
              <button type="button" class="small ghost" onClick={() => search(cursor)}>
                Older entries
              </button>
            ) : null}
          </p>
        </>
      )}
    </section>
  );
}
