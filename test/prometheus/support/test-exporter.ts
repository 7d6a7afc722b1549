import { createServer, type Server } from "node:http";

export interface TestExporter {
  /** host:port to scrape. */
  readonly target: string;
  /** How many times /metrics was scraped. */
  readonly scrapes: () => number;
  close(): Promise<void>;
}

/**
 * A tiny Prometheus exporter on 127.0.0.1: every scrape of /metrics first calls `onScrape`
 * (which advances the counters it keeps) and then serves `render()` as text format 0.0.4.
 */
export async function startExporter(onScrape: () => void, render: () => string): Promise<TestExporter> {
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    onScrape();
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(render());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    scrapes: () => scrapes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Text-format lines of one counter family. */
export function counterLines(name: string, series: readonly [Record<string, string>, number][]): string[] {
  return [
    `# TYPE ${name} counter`,
    ...series.map(([labels, value]) => {
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(",");
      return `${name}${text ? `{${text}}` : ""} ${value}`;
    }),
  ];
}

/** Polls `read` until `done` holds or the deadline passes; returns the last value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
