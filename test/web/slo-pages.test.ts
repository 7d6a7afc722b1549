import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { ratioSpec } from "../support/specs.js";
import { toolAvailable } from "../support/system-tools.js";

const spec = (service: string, name: string, target: number) =>
  ratioSpec({
    service,
    name,
    target,
    team: service === "search" ? "discovery" : "payments",
    description: `${service} ${name} measured at the load balancer.`,
  });

/** With NINES_SCREENSHOTS=DIR, saves full-page screenshots there to look at the pages. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Pushes `hours` of 1-minute samples with the given error ratio per minute. */
async function pushHistory(
  live: LiveServer,
  token: string,
  slo: string,
  hours: number,
  errorRatio: (minutesAgo: number) => number,
) {
  const now = Date.now();
  const samples = [];
  for (let m = hours * 60; m >= 0; m--) {
    const total = 1200;
    samples.push({ slo, ts: now - m * 60_000, bad: Math.round(total * errorRatio(m)), total });
  }
  for (let i = 0; i < samples.length; i += 5000) {
    const response = await fetch(`${live.url}/api/v1/sli/samples`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ samples: samples.slice(i, i + 5000) }),
    });
    expect(response.status).toBe(200);
  }
}

describe.skipIf(!toolAvailable("chromium"))("SLO pages in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer();
    const token = await live.token("write", "sre");
    const files = [
      {
        path: "checkout.yaml",
        text: `${spec("checkout", "availability", 99.9)}---\n${spec("checkout", "payments-api", 99.5)}`,
      },
      { path: "search.yaml", text: spec("search", "queries", 99) },
    ];
    const applied = await fetch(`${live.url}/api/v1/slos/apply`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ files }),
    });
    expect(applied.status).toBe(200);
    // checkout/availability: clean for two days, then a 100% outage in the last 20 minutes.
    await pushHistory(live, token, "checkout/availability", 48, (m) => (m <= 20 ? 1 : 0.0002));
    await pushHistory(live, token, "checkout/payments-api", 48, () => 0.001);
    await pushHistory(live, token, "search/queries", 48, (m) => (m % 300 < 30 ? 0.05 : 0.001));
    await live.server.domains.slo.runtime.tick();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${live.url}/sign-in`);
    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Status" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("lists every SLO with its state, budget left and burn rate, paging one first in the filter", async () => {
    await page.goto(`${live.url}/slos`);
    const table = page.getByTestId("slo-table");
    await table.waitFor();
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBe(3);
    const checkout = rows.filter({ hasText: "availability" });
    expect(await checkout.innerText()).toContain("Page");
    expect(await checkout.innerText()).toContain("99.9%");
    await screenshot(page, "slo-list");

    await page.getByLabel("State").selectOption("page");
    await page.waitForURL(/state=page/);
    expect(await rows.count()).toBe(1);
  });

  it("shows an SLO's budget, charts, alert lines and history, and keeps the range in the URL", async () => {
    await page.goto(`${live.url}/slos/checkout/availability?range=1d`);
    await page.getByRole("heading", { name: /checkout \/ availability/ }).waitFor();
    await page.getByTestId("lines-table").waitFor();
    expect(await page.locator("canvas").count()).toBeGreaterThanOrEqual(3);
    const lines = await page.getByTestId("lines-table").innerText();
    expect(lines).toContain("firing");
    expect(lines).toMatch(/14\.4×/);
    expect(await page.getByTestId("alert-history").innerText()).toContain("page");
    expect(await page.getByTestId("budget-tile").innerText()).toMatch(/%/);
    await screenshot(page, "slo-detail");
    await page.getByRole("button", { name: /theme/ }).click();
    await screenshot(page, "slo-detail-dark");
    await page.getByRole("button", { name: /theme/ }).click();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    const alerts = page.getByTestId("slo-alerts");
    await alerts.waitFor();
    expect(await alerts.innerText()).toMatch(/checkout\/availability\s+page-fast\s+page\s+firing/);
    await screenshot(page, "alerts");
    await page.goBack();
    await page.getByTestId("lines-table").waitFor();

    await page.getByRole("button", { name: "7d" }).click();
    await page.waitForURL(/range=7d/);
    await page.getByRole("button", { name: "Show table" }).first().click();
    expect(await page.locator("table").first().innerText()).toContain("budget left");
  });
});
