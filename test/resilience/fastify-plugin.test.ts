import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  CRITICALITY_HEADER,
  DEADLINE_HEADER,
  LoadShedder,
  NO_RETRY_HEADER,
  ninesResilience,
  remainingMs,
} from "../../src/resilience/index.js";

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function appWith(shedder: LoadShedder) {
  const app = Fastify();
  apps.push(app);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  await app.register(ninesResilience, { shedder, exclude: (req) => req.url === "/healthz" });
  app.get("/slow", async () => {
    await gate;
    return { ok: true };
  });
  app.get("/healthz", async () => ({ ok: true }));
  app.get("/deadline", async (req) => ({
    remaining: req.ninesDeadline ? remainingMs(req.ninesDeadline) : null,
    hasSignal: req.ninesSignal !== null,
  }));
  return { app, open };
}

describe("nines-resilience Fastify plugin", () => {
  it("answers 503 with Retry-After and the don't-retry header past the in-flight limit", async () => {
    const shedder = new LoadShedder({ limit: 1, retryAfterSeconds: 2, criticalHeadroom: 0 });
    const { app, open } = await appWith(shedder);
    const first = app.inject({ method: "GET", url: "/slow" });
    await new Promise((r) => setTimeout(r, 20));
    const second = await app.inject({ method: "GET", url: "/slow" });
    expect(second.statusCode).toBe(503);
    expect(second.headers["retry-after"]).toBe("2");
    expect(second.headers[NO_RETRY_HEADER]).toBe("1");
    expect(second.json().error.code).toBe("NINES_ERR_RESILIENCE_SHED");
    open();
    expect((await first).statusCode).toBe(200);
    expect(shedder.inFlight).toBe(0);
  });

  it("lets excluded routes through while shedding", async () => {
    const shedder = new LoadShedder({ limit: 1, criticalHeadroom: 0 });
    const { app, open } = await appWith(shedder);
    const first = app.inject({ method: "GET", url: "/slow" });
    await new Promise((r) => setTimeout(r, 20));
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    open();
    await first;
  });

  it("keeps the last slots for critical requests", async () => {
    const shedder = new LoadShedder({ limit: 2, criticalHeadroom: 0.5 });
    const { app, open } = await appWith(shedder);
    const first = app.inject({ method: "GET", url: "/slow" });
    await new Promise((r) => setTimeout(r, 20));
    const normal = await app.inject({ method: "GET", url: "/slow" });
    const critical = app.inject({
      method: "GET",
      url: "/slow",
      headers: { [CRITICALITY_HEADER]: "critical" },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(normal.statusCode).toBe(503);
    expect(shedder.inFlight).toBe(2);
    open();
    expect((await critical).statusCode).toBe(200);
    await first;
  });

  it("answers 504 at once when the caller's deadline is already spent", async () => {
    const { app } = await appWith(new LoadShedder({ limit: 5 }));
    const res = await app.inject({ method: "GET", url: "/deadline", headers: { [DEADLINE_HEADER]: "0" } });
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe("NINES_ERR_RESILIENCE_DEADLINE_EXCEEDED");
    expect(res.headers[NO_RETRY_HEADER]).toBe("1");
  });

  it("exposes the propagated deadline and a signal to the handler", async () => {
    const { app } = await appWith(new LoadShedder({ limit: 5 }));
    const res = await app.inject({ method: "GET", url: "/deadline", headers: { [DEADLINE_HEADER]: "5000" } });
    const body = res.json() as { remaining: number; hasSignal: boolean };
    expect(body.remaining).toBeGreaterThan(0);
    expect(body.remaining).toBeLessThanOrEqual(5000);
    expect(body.hasSignal).toBe(true);
    const none = (await app.inject({ method: "GET", url: "/deadline" })).json() as { remaining: null };
    expect(none.remaining).toBeNull();
  });

  it("registers under the name nines-resilience without encapsulation", async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(ninesResilience, { limits: { limit: 3 } });
    app.get("/", async (req) => ({ decorated: "ninesDeadline" in req }));
    expect((await app.inject({ method: "GET", url: "/" })).json()).toEqual({ decorated: true });
    expect(app.printPlugins()).toContain("nines-resilience");
  });
});
