import { createHmac } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationIntent, NotificationMessage } from "../../src/notifications/notification.js";
import {
  type FakeServer,
  pagerDutyProblems,
  slackProblems,
  startFakeServer,
} from "../notifications/fake-receivers.js";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";

const MIN = 60_000;
const SECRET = "whsec-3f9a1c7e52b84d06a2f1";

/** With NINES_SCREENSHOTS=DIR, saves full-page screenshots there to look at the pages. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Status" }).waitFor();
}

describe.skipIf(!toolAvailable("chromium"))("receiver and notification pages in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  let hooks: FakeServer;
  let page: Page;
  let admin: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${live.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.ok, text).toBe(true);
    return text ? (JSON.parse(text) as unknown) : null;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    // Local stand-ins for the SaaS receivers, answering as their APIs document.
    hooks = await startFakeServer(({ path, json }) => {
      if (path.startsWith("/slack/")) {
        const problems = slackProblems(json);
        return problems.length ? { status: 400, body: problems[0] } : { status: 200, body: "ok" };
      }
      if (path === "/pd/v2/enqueue") {
        const problems = pagerDutyProblems(json);
        return problems.length
          ? { status: 400, body: { status: "invalid event", errors: problems } }
          : { status: 202, body: { status: "success", message: "Event processed" } };
      }
      if (path === "/am/api/v2/alerts") return { status: 200 };
      if (path === "/legacy") return { status: 410, body: { error: "this hook was removed" } };
      if (path === "/search-bot") return { status: 503, body: { error: "upstream unavailable" } };
      if (path.startsWith("/ok/")) return { status: 200, body: { received: true } };
      return { status: 404 };
    });
    live = await startLiveServer({
      notifications: { allowedHosts: ["127.0.0.1"], pollIntervalMs: 50, backoffBaseMs: 500 },
    });
    admin = await live.token("admin", "ana");

    const receivers = [
      {
        name: "oncall-slack",
        type: "slack",
        description: "#payments-oncall channel",
        config: { url: `${hooks.url}/slack/services/T024BE7LD/B05QW8K1M/xoxbSecretPart` },
      },
      {
        name: "pd-payments",
        type: "pagerduty",
        description: "Payments primary rotation in PagerDuty",
        config: { routingKey: "e93facc04764012d7bfb002500d5d1a6", baseUrl: `${hooks.url}/pd` },
      },
      {
        name: "am-main",
        type: "alertmanager",
        config: { url: `${hooks.url}/am`, validFor: "12h", headers: { Authorization: "Bearer am-token-1" } },
      },
      {
        name: "mail-payments",
        type: "email",
        description: "Payments team list (no SMTP configured yet)",
        config: { to: ["payments-oncall@example.com", "payments-leads@example.com"] },
      },
      { name: "legacy-hook", type: "webhook", config: { url: `${hooks.url}/legacy` } },
      {
        name: "search-bot",
        type: "webhook",
        description: "Search team chat bot",
        config: { url: `${hooks.url}/search-bot`, secret: "search-bot-secret-0042" },
      },
    ];
    for (const r of receivers) await call("POST", "/api/v1/receivers", r);

    // A morning's worth of notifications: pages and tickets through every receiver.
    const now = Date.now();
    const message = (over: Partial<NotificationMessage> & Pick<NotificationMessage, "title">) =>
      ({
        event: "trigger",
        subject: { kind: "page", id: "1042" },
        summary: "14.4× burn over 1h and 5m",
        service: "checkout",
        team: "payments",
        severity: "critical",
        outcome: "page",
        labels: { service: "checkout", slo: "availability" },
        links: [{ title: "SLO", url: "https://nines.example.com/slos/checkout/availability" }],
        startsAt: now - 40 * MIN,
        ...over,
      }) as NotificationMessage;
    const checkout = message({ title: "checkout error budget burning fast" });
    const db = message({
      title: "Replica lag above 30 s on db-replica-2",
      subject: { kind: "page", id: "1043" },
      service: "db-replica",
      team: "storage",
      summary: "pg_replication_lag_seconds 41 for 10m",
      labels: { service: "db-replica", instance: "db-replica-2" },
      startsAt: now - 25 * MIN,
    });
    const ticket = message({
      title: "search/queries burns its budget 3× (ticket line)",
      event: "ticket",
      subject: { kind: "ticket", id: "311" },
      service: "search",
      team: "discovery",
      severity: "ticket",
      outcome: "ticket",
      summary: "3.1× burn over 6h",
      labels: { service: "search", slo: "latency" },
    });
    const intents: NotificationIntent[] = [
      ...["oncall-slack", "pd-payments", "am-main", "mail-payments"].map((r) => ({
        target: { type: "receiver" as const, receiverId: r },
        dedupKey: `page/1042/trigger/${r}`,
        message: checkout,
      })),
      ...["pd-payments", "legacy-hook", "am-main"].map((r) => ({
        target: { type: "receiver" as const, receiverId: r },
        dedupKey: `page/1043/trigger/${r}`,
        message: db,
      })),
      {
        target: { type: "receiver", receiverId: "pd-payments" },
        dedupKey: "page/1042/acknowledge",
        message: { ...checkout, event: "acknowledge" },
      },
      {
        target: { type: "receiver", receiverId: "search-bot" },
        dedupKey: "ticket/311/ticket",
        message: ticket,
      },
    ];
    const { outbox } = live.server.domains.notifications;
    await live.server.database.db.transaction().execute((trx) => outbox.enqueue(trx, intents));
    // Wait until everything but the retried search-bot notification has an answer.
    const pending = async () =>
      (
        (await call("GET", "/api/v1/notifications?status=pending")) as { target: { receiverId?: string } }[]
      ).map((n) => n.target.receiverId);
    for (let i = 0; i < 150 && (await pending()).join() !== "search-bot"; i++)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pending()).toEqual(["search-bot"]);

    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, live.url, admin);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await hooks?.close();
  });

  it("creates a webhook receiver from the form after showing the server's error next to a bad URL, and sends a test that is delivered and audited", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Receivers" }).click();
    const table = page.getByTestId("receivers");
    await table.waitFor();
    await expect.poll(() => table.locator("tbody tr").count()).toBe(6);
    // Secrets are shown masked, as the API returns them.
    const slack = await page.getByTestId("receiver-oncall-slack").innerText();
    expect(slack).toContain(`${hooks.url}/********`);
    expect(slack).not.toContain("xoxbSecretPart");
    expect(await page.getByTestId("receiver-pd-payments").innerText()).toContain("routing key ********");
    expect(await page.content()).not.toContain("e93facc04764012d7bfb002500d5d1a6");
    expect(await page.getByTestId("admin-needed").count()).toBe(0);
    // Each receiver's newest notification says whether it works.
    await expect.poll(() => page.getByTestId("last-legacy-hook").innerText()).toMatch(/✕ failed[\s\S]*410/);
    await expect.poll(() => page.getByTestId("last-oncall-slack").innerText()).toMatch(/✓ delivered/);
    await expect.poll(() => page.getByTestId("last-search-bot").innerText()).toMatch(/○ pending[\s\S]*503/);

    await page.getByRole("button", { name: "New receiver" }).click();
    await page.waitForURL(/\/receivers\?new/);
    const form = page.getByTestId("receiver-form");
    await form.getByLabel("Name").fill("payments-hook");
    await form.getByLabel("Type").selectOption("webhook");
    await form.getByLabel("Description").fill("Payments incident bot");
    await form.getByLabel("URL").fill("hooks.example.com/nines");
    await form.getByLabel("Signing secret").fill(SECRET);
    await form.getByRole("button", { name: "Create receiver" }).click();
    const urlError = form.getByTestId("error-config.url");
    await urlError.waitFor();
    expect(await urlError.innerText()).toMatch(/config\.url/);
    expect(await form.getByLabel("URL").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByTestId("error-name").count()).toBe(0);
    await screenshot(page, "receiver-form-error");

    await form.getByLabel("URL").fill(`${hooks.url}/ok/payments`);
    await form.getByRole("button", { name: "Create receiver" }).click();
    const row = page.getByTestId("receiver-payments-hook");
    await row.waitFor();
    await form.waitFor({ state: "detached" });
    expect(await row.innerText()).toMatch(
      /payments-hook[\s\S]*Webhook[\s\S]*\/ok\/payments\s+signed \(HMAC-SHA256\)[\s\S]*by ana/,
    );
    expect(await page.content()).not.toContain(SECRET);

    await row.getByRole("button", { name: "Send test" }).click();
    const result = page.getByTestId("test-result");
    await result.getByText("delivered").waitFor({ timeout: 20_000 });
    const delivered = hooks.requests.filter((r) => r.path === "/ok/payments");
    expect(delivered).toHaveLength(1);
    const sent = delivered[0]!;
    const expected = `sha256=${createHmac("sha256", SECRET)
      .update(`${String(sent.headers["x-nines-timestamp"])}.${sent.body}`)
      .digest("hex")}`;
    expect(sent.headers["x-nines-signature"]).toBe(expected);
    await expect.poll(() => page.getByTestId("last-payments-hook").innerText()).toMatch(/✓ delivered/);
    await screenshot(page, "receivers");

    await result.getByTestId("test-audit-link").click();
    const detail = page.getByTestId("notification-detail");
    await detail.waitFor();
    expect(page.url()).toMatch(/\/notifications\/\d+$/);
    expect(await detail.getByRole("heading", { level: 1 }).innerText()).toMatch(
      /delivered\s+Test notification from nines/,
    );
    const attempts = page.getByTestId("attempts").locator("tbody tr");
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().innerText()).toMatch(
      /1\s+.+\s+payments-hook\s+✓ success\s+200\s+—\s+\d+ ms/,
    );
    await screenshot(page, "notification-detail-delivered");
  }, 120_000);

  it("edits a receiver without knowing its secret, and deletes one after confirming", async () => {
    await page.goto(`${live.url}/receivers`);
    const row = page.getByTestId("receiver-am-main");
    await row.getByRole("button", { name: "Edit" }).click();
    await page.waitForURL(/edit=am-main/);
    const form = page.getByTestId("receiver-form");
    expect(await form.getByLabel("Name").isDisabled()).toBe(true);
    // The form fills in once the receiver is loaded.
    await expect.poll(() => form.getByLabel("Extra headers").inputValue()).toBe("Authorization: ********");
    await form.getByLabel("Valid for").fill("6 hours");
    await form.getByRole("button", { name: "Save receiver" }).click();
    expect(await form.getByTestId("error-config.validFor").innerText()).toMatch(/config\.validFor/);
    await form.getByLabel("Valid for").fill("6h");
    await form.getByRole("button", { name: "Save receiver" }).click();
    await form.waitFor({ state: "detached" });
    // The list reloads after the save.
    await expect.poll(() => row.innerText()).toContain("valid for 6h · headers Authorization");
    await row.getByRole("button", { name: "Send test" }).click();
    await page.getByTestId("test-result").getByText("delivered").waitFor({ timeout: 20_000 });
    // The masked header was sent back unchanged, so the stored value was kept.
    const sent = hooks.requests.filter((r) => r.path === "/am/api/v2/alerts").at(-1)!;
    expect(sent.headers["authorization"]).toBe("Bearer am-token-1");
    expect(JSON.stringify(sent.json)).toContain("Test notification from nines");

    const legacy = page.getByTestId("receiver-legacy-hook");
    await legacy.getByRole("button", { name: "Delete…" }).click();
    const confirm = legacy.getByRole("alertdialog", { name: "Delete legacy-hook?" });
    await confirm.getByRole("button", { name: "Keep" }).click();
    expect(await legacy.getByRole("button", { name: "Delete…" }).count()).toBe(1);
    await legacy.getByRole("button", { name: "Delete…" }).click();
    await confirm.getByRole("button", { name: "Delete" }).click();
    await legacy.waitFor({ state: "detached" });
    expect(((await call("GET", "/api/v1/receivers")) as { name: string }[]).map((r) => r.name)).not.toContain(
      "legacy-hook",
    );
  }, 120_000);

  it("lists who was notified with failed deliveries marked, filters by status, receiver and subject, pages, and shows each attempt", async () => {
    await page.goto(`${live.url}/notifications`);
    const table = page.getByTestId("notifications");
    await table.waitFor();
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(11);
    const texts = await rows.allInnerTexts();
    expect(texts.filter((t) => t.includes("failed"))).toHaveLength(2);
    expect(texts.find((t) => t.includes("legacy-hook"))).toMatch(/✕ failed[\s\S]*410/);
    expect(texts.find((t) => t.includes("mail-payments"))).toMatch(/✕ failed[\s\S]*SMTP/);
    await screenshot(page, "notifications");

    await page.getByLabel("Status").selectOption("failed");
    await page.waitForURL(/status=failed/);
    await expect.poll(() => rows.count()).toBe(2);

    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Receiver").selectOption("pd-payments");
    await page.waitForURL(/receiver=pd-payments/);
    await expect.poll(() => rows.count()).toBe(3);
    expect((await rows.allInnerTexts()).every((t) => t.includes("pd-payments"))).toBe(true);

    await page.goto(`${live.url}/notifications?subject=page:1043&limit=2`);
    await table.waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    const firstPage = await rows.allInnerTexts();
    await page.getByRole("link", { name: "Older →" }).click();
    await page.waitForURL(/before=\d+/);
    await expect.poll(() => rows.count()).toBe(1);
    const secondPage = await rows.allInnerTexts();
    expect([...firstPage, ...secondPage].every((t) => t.includes("Replica lag"))).toBe(true);
    expect(secondPage[0]).not.toBe(firstPage[0]);
    expect(await page.getByLabel("Subject").inputValue()).toBe("page:1043");

    await page.goto(`${live.url}/notifications?receiver=legacy-hook`);
    await rows
      .first()
      .getByRole("link", { name: /Replica lag/ })
      .click();
    const detail = page.getByTestId("notification-detail");
    await detail.waitFor();
    expect(await detail.innerText()).toMatch(/sent to\s+legacy-hook/i);
    const attempt = page.getByTestId("attempts").locator("tbody tr");
    expect(await attempt.count()).toBe(1);
    expect(await attempt.first().innerText()).toMatch(/legacy-hook\s+✕ failed\s+410/);
    await screenshot(page, "notification-detail-failed");

    await page.getByRole("button", { name: /theme/ }).click();
    await page.goto(`${live.url}/notifications?receiver=search-bot`);
    await table.waitFor();
    await table.getByRole("link", { name: /search\/queries/ }).click();
    await page.getByTestId("attempts").waitFor();
    expect(await page.getByTestId("attempts").innerText()).toMatch(/retry\s+503/);
    await screenshot(page, "notification-detail-retried-dark");
    await page.goto(`${live.url}/notifications`);
    await table.waitFor();
    await screenshot(page, "notifications-dark");
    await page.goto(`${live.url}/receivers`);
    await page.getByTestId("receivers").waitFor();
    await screenshot(page, "receivers-dark");
    await page.getByRole("button", { name: /theme/ }).click();
  }, 120_000);

  it("tells a session without the admin scope that changing receivers needs one", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const reader = await context.newPage();
    await signIn(reader, live.url, await live.token("write", "ben"));
    await reader.goto(`${live.url}/receivers`);
    const notice = reader.getByTestId("admin-needed");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/ben with the write scope[\s\S]*needs an admin session/);
    expect(await reader.getByRole("button", { name: "New receiver" }).isDisabled()).toBe(true);
    expect(
      await reader
        .getByTestId("receiver-pd-payments")
        .getByRole("button", { name: "Send test" })
        .isDisabled(),
    ).toBe(true);
    // The server refuses the write on its own too, and the form says so.
    await reader.goto(`${live.url}/receivers?new`);
    const form = reader.getByTestId("receiver-form");
    await form.getByLabel("Name").fill("sneaky");
    await form.getByLabel("URL").fill(`${hooks.url}/ok/sneaky`);
    await form.getByRole("button", { name: "Create receiver" }).click();
    expect(await form.getByTestId("receiver-form-error").innerText()).toMatch(/needs an admin session/);
    await screenshot(reader, "receivers-write-scope");
    await context.close();
  }, 120_000);
});
