import { useEffect, useState } from "preact/hooks";
import { api, type ReadyResponse, type VersionResponse } from "../api.js";

interface StatusData {
  health: "ok" | "down";
  ready?: ReadyResponse;
  version?: VersionResponse;
  error?: string;
}

async function loadStatus(): Promise<StatusData> {
  const health = await api<{ status: string }>("GET", "/api/v1/health").then(
    () => "ok" as const,
    () => "down" as const,
  );
  // /ready answers 503 with the same body when not ready: read it either way.
  const ready = await fetch("/api/v1/ready")
    .then((r) => r.json() as Promise<ReadyResponse>)
    .catch(() => undefined);
  try {
    const version = await api<VersionResponse>("GET", "/api/v1/version");
    return { health, ready, version };
  } catch (err) {
    return { health, ready, error: err instanceof Error ? err.message : String(err) };
  }
}

function State({ ok, label }: { ok: boolean; label: string }) {
  return (
    <span class={`state ${ok ? "ok" : "bad"}`}>
      <span aria-hidden="true">{ok ? "●" : "▲"}</span> {label}
    </span>
  );
}

export function StatusPage() {
  const [data, setData] = useState<StatusData | undefined>(undefined);
  useEffect(() => {
    const refresh = () => loadStatus().then(setData);
    refresh();
    const timer = setInterval(refresh, 10_000);
    return () => clearInterval(timer);
  }, []);

  if (!data) return <p class="muted">Loading status…</p>;
  const ready = data.ready?.status === "ready";
  return (
    <section>
      <h1>Status</h1>
      <div class="tiles">
        <div class="tile" data-testid="health">
          <div class="tile-label">Server</div>
          <State ok={data.health === "ok"} label={data.health === "ok" ? "Healthy" : "Not answering"} />
        </div>
        <div class="tile" data-testid="ready">
          <div class="tile-label">Database</div>
          <State ok={ready} label={ready ? "Ready" : "Not ready"} />
          <div class="tile-sub">
            {data.ready?.database.dialect ?? "unknown"}
            {data.ready && data.ready.database.pendingMigrations.length > 0
              ? ` · pending migrations: ${data.ready.database.pendingMigrations.join(", ")}`
              : " · schema current"}
          </div>
        </div>
        <div class="tile" data-testid="version">
          <div class="tile-label">Version</div>
          <div class="tile-value">{data.version ? `nines ${data.version.version}` : "—"}</div>
          <div class="tile-sub">
            {data.version
              ? `${data.version.node} · ${data.version.leader ? "leader (runs evaluators)" : "follower (serves API)"} · up since `
              : data.error}
            {data.version && (
              <time
                dateTime={new Date(data.version.startedAt).toISOString()}
                title={new Date(data.version.startedAt).toISOString()}
              >
                {new Date(data.version.startedAt).toLocaleString()}
              </time>
            )}
          </div>
        </div>
      </div>
      <p class="muted">
        API reference:{" "}
        <a href="/api/docs" target="_blank" rel="noreferrer">
          /api/docs
        </a>{" "}
        · metrics:{" "}
        <a href="/metrics" target="_blank" rel="noreferrer">
          /metrics
        </a>
      </p>
    </section>
  );
}
