import { useEffect, useState } from "preact/hooks";
import type { RoutingConfigInput } from "../../../src/signals/routing-schema.js";
import { api } from "../api.js";
import { When } from "../components/when.js";

type RouteInput = RoutingConfigInput["route"];

interface RoutingDto {
  version: number;
  updatedAt: number | null;
  updatedBy: string | null;
  config: RoutingConfigInput;
}

interface RouteTestDto {
  outcome: "page" | "ticket" | "log";
  rule: { path: string; name: string };
  receiver: string | null;
  team: string | null;
  escalation: string | null;
  matches: { path: string; name: string; outcome: string }[];
}

const OUTCOME_CLASS: Record<string, string> = { page: "s-page", ticket: "s-ticket", log: "s-no-data" };

/** "service=db severity=critical" → labels; the first malformed word is reported. */
function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf("=");
    if (eq <= 0) return { error: `"${word}" is not name=value` };
    labels[word.slice(0, eq)] = word.slice(eq + 1).replace(/^"(.*)"$/, "$1");
  }
  return { labels };
}

function RouteNode({
  route,
  path,
  decided,
  matched,
}: {
  route: RouteInput;
  path: string;
  decided: string | undefined;
  matched: ReadonlySet<string>;
}) {
  const children = (route.routes ?? []) as RouteInput[];
  const isDecider = decided === path;
  return (
    <li data-path={path} data-testid={isDecider ? "deciding-route" : undefined}>
      <div
        class="route-node"
        style={
          isDecider
            ? "border:2px solid var(--accent);border-radius:6px;padding:4px 8px;background:var(--panel)"
            : matched.has(path)
              ? "border:1px dashed var(--accent);border-radius:6px;padding:4px 8px"
              : "padding:4px 8px"
        }
      >
        <strong>{route.name ?? path}</strong>{" "}
        {route.classify ? (
          <span class={`state-badge ${OUTCOME_CLASS[route.classify] ?? ""}`}>→ {route.classify}</span>
        ) : (
          <span class="muted small">(inherits outcome)</span>
        )}
        {isDecider ? (
          <span class="badge" style="margin-left:8px">
            decides
          </span>
        ) : matched.has(path) ? (
          <span class="badge" style="margin-left:8px">
            matched
          </span>
        ) : null}
        <div class="small muted">
          <code>{path}</code>
          {route.matchers && route.matchers.length > 0 ? <> · {route.matchers.join(", ")}</> : null}
          {route.receiver ? <> · receiver {route.receiver}</> : null}
          {route.team ? <> · team {route.team}</> : null}
          {route.escalation ? <> · escalation {route.escalation}</> : null}
          {route.continue ? <> · continue</> : null}
        </div>
      </div>
      {children.length > 0 ? (
        <ul
          class="route-tree"
          style="list-style:none;margin:4px 0 4px 22px;padding-left:10px;border-left:1px solid var(--border)"
        >
          {children.map((child, i) => (
            <RouteNode route={child} path={`${path}.routes[${i}]`} decided={decided} matched={matched} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The routing tree that makes every signal a page, a ticket or a log, with a label tester. */
export function RoutingPage({ query }: { query: URLSearchParams }) {
  const [routing, setRouting] = useState<RoutingDto | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [text, setText] = useState(query.get("labels") ?? "source=slo severity=page service=checkout");
  const [result, setResult] = useState<RouteTestDto | undefined>(undefined);
  const [testError, setTestError] = useState<string | undefined>(undefined);

  useEffect(() => {
    api<RoutingDto>("GET", "/api/v1/routing").then(setRouting, (err: Error) => setError(err.message));
  }, []);

  const test = async (event: Event) => {
    event.preventDefault();
    const parsed = parseLabels(text);
    if ("error" in parsed) {
      setTestError(parsed.error);
      setResult(undefined);
      return;
    }
    try {
      setResult(await api<RouteTestDto>("POST", "/api/v1/routing/test", { labels: parsed.labels }));
      setTestError(undefined);
      window.history.replaceState(null, "", `/routing?labels=${encodeURIComponent(text)}`);
    } catch (err) {
      setTestError((err as Error).message);
    }
  };

  if (error)
    return (
      <p class="error" role="alert">
        Could not load the routing config: {error}. Reload to retry.
      </p>
    );
  if (!routing) return <p class="muted">Loading routing…</p>;
  const matched = new Set(result?.matches.map((m) => m.path) ?? []);
  return (
    <section>
      <h1>Routing</h1>
      <p class="muted">
        Every signal walks this tree (as in Alertmanager) and becomes exactly one of page, ticket or log; the
        most urgent matched route decides.{" "}
        {routing.version === 0 ? (
          "This is the built-in default; store your own with PUT /api/v1/routing."
        ) : (
          <>
            Version {routing.version}, by {routing.updatedBy}{" "}
            {routing.updatedAt === null ? null : <When at={routing.updatedAt} />}.
          </>
        )}
      </p>
      <h2>Which rule matches these labels?</h2>
      <form class="filters" onSubmit={test} style="flex-direction:row;align-items:center">
        <label for="route-labels">Labels</label>
        <input
          id="route-labels"
          style="min-width:360px"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          placeholder="service=db severity=critical"
        />
        <button type="submit">Test</button>
      </form>
      {testError ? (
        <p class="error" role="alert">
          {testError}
        </p>
      ) : null}
      {result ? (
        <div class="card" data-testid="route-test-result" style="margin-bottom:12px">
          <span class={`state ${OUTCOME_CLASS[result.outcome] ?? ""}`}>{result.outcome}</span> decided by{" "}
          <strong data-testid="deciding-rule">{result.rule.name}</strong> <code>{result.rule.path}</code>
          <div class="small muted">
            receiver {result.receiver ?? "—"} · team {result.team ?? "—"} · escalation{" "}
            {result.escalation ?? "—"} · matched {result.matches.map((m) => m.name).join(", ")}
          </div>
        </div>
      ) : null}
      <h2>Routing tree</h2>
      <ul class="route-tree" style="list-style:none;padding:0" data-testid="routing-tree">
        <RouteNode route={routing.config.route} path="route" decided={result?.rule.path} matched={matched} />
      </ul>
      {routing.config.inhibitRules && routing.config.inhibitRules.length > 0 ? (
        <>
          <h2>Inhibit rules</h2>
          <ul>
            {routing.config.inhibitRules.map((r) => (
              <li>
                <strong>{r.name}</strong>: while [{(r.sourceMatchers ?? []).join(", ")}] fires, hold [
                {(r.targetMatchers ?? []).join(", ")}] with equal {(r.equal ?? []).join(", ") || "—"}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
