import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";

const H = 3_600_000;
const DAY = 24 * H;

/** With NINES_SCREENSHOTS=DIR, saves full-page screenshots there to look at the pages. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

describe.skipIf(!toolAvailable("chromium"))("ticket, log and silence pages in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  let page: Page;
  let token: string;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${live.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json() as Promise<{ id: string }>;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer();
    token = await live.token("write", "ana");
    const now = Date.now();
    const { tickets, eventLog } = live.server.domains.tickets;
    const db = live.server.database.db;
    // Tickets raised by signals (repeats link to the same ticket) and by hand.
    for (let i = 0; i < 4; i++) {
      await db.transaction().execute((trx) =>
        tickets.openFromSignal(
          trx,
          {
            signalId: `sig-${i}`,
            fingerprint: "fp-disk-db1",
            team: "storage",
            service: "db",
            title: "Disk 85% full on db-1 (/var/lib/postgresql)",
            description: "Free space falls 2% a day; at this rate the disk is full in 7 days.",
            rule: "disk-ticket",
            priority: "p2",
            dueAt: now - 10 * H,
          },
          now - 4 * DAY + i * H,
        ),
      );
    }
    await db.transaction().execute((trx) =>
      tickets.openFromSignal(trx, {
        fingerprint: "fp-slo-search",
        team: "discovery",
        service: "search",
        title: "search/queries burns its budget 3× (ticket line)",
        rule: "slo-ticket",
        priority: "p3",
      }),
    );
    await post("/api/v1/tickets", {
      team: "storage",
      service: "db-replica",
      title: "Replica lag above 30 s after nightly batch",
      priority: "p1",
      assignee: "ben",
      dueAt: now + 20 * H,
    });
    await post("/api/v1/tickets", {
      team: "web",
      service: "www",
      title: "TLS certificate for www expires in 12 days",
      priority: "p4",
      dueAt: now - 2 * DAY,
    });
    // The event log: a day of low-urgency signals.
    await db.transaction().execute(async (trx) => {
      const services = ["db", "search", "checkout", "www"];
      for (let i = 0; i < 60; i++) {
        const service = services[i % 4]!;
        await eventLog.append(trx, {
          at: now - i * 23 * 60_000,
          source: i % 5 === 0 ? "alertmanager" : "api",
          service,
          title:
            i % 7 === 0
              ? "Autovacuum took longer than 10 min"
              : `Cache hit ratio dipped to ${80 + (i % 15)}%`,
          text: i % 7 === 0 ? "table orders, 41 M dead tuples" : "",
          labels: { env: i % 3 === 0 ? "staging" : "prod", region: i % 2 ? "eu-west-1" : "us-east-1" },
          rule: "route",
        });
      }
    });
    await post("/api/v1/silences", {
      matchers: ['service="checkout"', 'env="staging"'],
      duration: "3h",
      comment: "Load test on staging checkout until 17:00",
    });
    await post("/api/v1/silences", {
      matchers: ['alertname=~"Cache.*"'],
      startsAt: now + 2 * H,
      duration: "1h",
      comment: "Cache cluster rolling restart (CHG-2291)",
    });
    await post("/api/v1/maintenance-windows", {
      service: "db",
      start: "2026-03-21T22:00",
      end: "2026-03-22T02:00",
      timeZone: "Europe/Berlin",
      recurrence: "weekly",
      outcomes: ["ticket", "log"],
      reason: "Weekly vacuum full and reindex",
    });

    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${live.url}/sign-in`);
    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Status" }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("shows the ticket queue with overdue tickets marked, filters by team and changes a status", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tickets" }).click();
    const table = page.getByTestId("tickets");
    await table.waitFor();
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBe(4);
    expect(await rows.first().innerText()).toContain("Replica lag");
    const disk = rows.filter({ hasText: "Disk 85% full" });
    expect(await disk.innerText()).toMatch(/4 signals/);
    expect(await disk.innerText()).toMatch(/overdue by/);
    expect(await disk.getAttribute("class")).toBe("overdue");
    expect(await page.getByTestId("ticket-summary").innerText()).toContain("2 overdue");
    await screenshot(page, "tickets");

    await page.getByLabel("Team").selectOption("storage");
    await page.waitForURL(/team=storage/);
    await table.locator("tbody tr").filter({ hasText: "TLS" }).waitFor({ state: "detached" });
    expect(await rows.count()).toBe(2);

    const diskId = (await disk.locator("td").first().innerText()).trim();
    const status = page.getByLabel(`Status of ticket ${diskId}`);
    await status.selectOption("in-progress");
    // The list reloads after the save: wait for the saved status, not for the first render.
    await expect.poll(() => status.inputValue()).toBe("in-progress");
    await page.waitForLoadState("networkidle");
    expect(await status.inputValue()).toBe("in-progress");
    await disk.getByRole("link").click();
    const detail = page.getByTestId("ticket-detail");
    await detail.waitFor();
    await page.getByLabel("Comment").fill("Grew the volume to 500 GB; pruning WAL archive next.");
    await page.getByRole("button", { name: "Comment" }).click();
    await detail.getByText("Grew the volume").waitFor();
    expect(await page.getByTestId("ticket-activity").innerText()).toMatch(
      /ana changed status open → in-progress/,
    );
    await screenshot(page, "ticket-detail");

    await page.getByRole("button", { name: /theme/ }).click();
    await page.goto(`${live.url}/tickets?overdue=true`);
    await table.waitFor();
    expect(await rows.count()).toBe(2);
    await screenshot(page, "tickets-overdue-dark");
    await page.getByRole("button", { name: /theme/ }).click();
  }, 120_000);

  it("searches the log by text, service, labels and time range", async () => {
    await page.goto(`${live.url}/logs`);
    const table = page.getByTestId("logs");
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(60);
    await screenshot(page, "logs");
    await page.getByLabel("Text").fill("autovacuum");
    await page.getByLabel("Service").fill("db");
    await page.getByLabel("Labels").fill('env="prod"');
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=autovacuum/);
    await table.locator("tbody tr").filter({ hasText: "Cache" }).first().waitFor({ state: "detached" });
    const texts = await table.locator("tbody tr").allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.includes("Autovacuum") && t.includes("env=prod") && /\bdb\b/.test(t))).toBe(
      true,
    );
    await screenshot(page, "logs-search");
    await page.getByLabel("Time range").selectOption("1h");
    await page.waitForURL(/range=1h/);
    await page.getByTestId("no-logs").waitFor();
  }, 120_000);

  it("lists silences with their state, creates one from the form, refuses a bad one naming the field, and expires one", async () => {
    await page.goto(`${live.url}/silences`);
    const table = page.getByTestId("silences");
    await table.waitFor();
    expect(await table.innerText()).toMatch(/active[\s\S]*service="checkout"/);
    expect(await table.innerText()).toMatch(/pending[\s\S]*alertname=~"Cache\.\*"/);
    expect(await page.getByTestId("maintenance-windows").innerText()).toContain("Weekly vacuum full");

    await page.getByLabel("Matchers").fill('env=~".*"');
    await page.getByLabel("Comment").fill("everything");
    await page.getByRole("button", { name: "Silence" }).click();
    expect(await page.getByTestId("silence-form-error").innerText()).toContain("body.matchers");

    await page.getByLabel("Matchers").fill('service="search", severity!="info"');
    await page.getByLabel("Duration").fill("90m");
    await page.getByLabel("Comment").fill("Reindexing search cluster (CHG-2301)");
    await page.getByRole("button", { name: "Silence" }).click();
    const created = table.locator("tbody tr").filter({ hasText: "CHG-2301" });
    await created.waitFor();
    expect(await created.innerText()).toMatch(
      /active[\s\S]*service="search"[\s\S]*severity!="info"[\s\S]*in 1h\d+m[\s\S]*ana/,
    );
    await screenshot(page, "silences");

    await created.getByRole("button", { name: "Expire" }).click();
    await created.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "expired" }).click();
    await page.waitForURL(/view=expired/);
    await table.locator("tbody tr").filter({ hasText: "CHG-2301" }).waitFor();
  }, 120_000);
});
