import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";

/** With NINES_SCREENSHOTS=DIR, saves full-page screenshots there to look at the pages. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

const ROUTING = {
  route: {
    name: "default",
    classify: "log",
    receiver: "ops-email",
    routes: [
      { name: "slo-page", matchers: ['source="slo"', 'severity="page"'], classify: "page" },
      { name: "slo-ticket", matchers: ['source="slo"', 'severity="ticket"'], classify: "ticket" },
      {
        name: "storage",
        matchers: ['service=~"db|db-replica"'],
        team: "storage",
        routes: [
          { name: "db-critical", matchers: ["severity=critical"], classify: "page", receiver: "pager" },
        ],
      },
      { name: "audit-copy", matchers: ['env="prod"'], receiver: "archive", continue: true },
    ],
  },
  inhibitRules: [
    {
      name: "page-holds-tickets",
      sourceMatchers: ['class="page"'],
      targetMatchers: ['class="ticket"'],
      equal: ["service"],
    },
  ],
};

describe.skipIf(!toolAvailable("chromium"))("Pages and Routing pages in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  let page: Page;
  let token: string;
  const send = async (body: unknown) => {
    const response = await fetch(`${live.url}/api/v1/signals`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { results: { pageId: number | null }[] };
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer();
    token = await live.token("admin", "sre-ana");
    const put = await fetch(`${live.url}/api/v1/routing`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(ROUTING),
    });
    expect(put.status).toBe(200);
    // A page reviewed earlier, for the actionability section.
    const [old] = (
      await send({
        source: "api",
        service: "db",
        title: "DiskAlmostFull",
        severity: "critical",
        labels: { instance: "db-2" },
      })
    ).results;
    await fetch(`${live.url}/api/v1/pages/${old?.pageId}/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    await fetch(`${live.url}/api/v1/pages/${old?.pageId}/actionable`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ actionable: false, reason: "self-healed" }),
    });
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

  it("shows a page posted as a signal and acknowledges it with one click", async () => {
    await send({
      signals: [
        {
          source: "slo",
          service: "checkout",
          title: "SLO checkout/availability burning its error budget (page-fast)",
          severity: "page",
          labels: { env: "prod" },
        },
        {
          source: "api",
          service: "db",
          title: "ReplicationLag",
          severity: "critical",
          labels: { cluster: "eu-1" },
        },
      ],
    });
    await page.getByRole("link", { name: "Pages" }).click();
    await page.getByRole("heading", { name: "Pages", exact: true }).waitFor();
    const row = page.locator("tr", { hasText: "ReplicationLag" });
    await expect(row.getByTestId("page-status").textContent()).resolves.toBe("triggered");
    await screenshot(page, "pages-open");
    await row.getByRole("button", { name: "Acknowledge" }).click();
    await row.getByTestId("page-status").filter({ hasText: "acknowledged" }).waitFor();
    expect(await row.textContent()).toContain("sre-ana");
    await screenshot(page, "pages-acknowledged");
    const stored = await fetch(`${live.url}/api/v1/pages?status=acknowledged`).then((r) => r.json());
    expect(stored.map((p: { title: string }) => p.title)).toEqual(["ReplicationLag"]);
  });

  it("tests labels against the routing tree and shows the deciding rule", async () => {
    await page.getByRole("link", { name: "Routing" }).click();
    await page.getByRole("heading", { name: "Routing", exact: true }).waitFor();
    await page.getByLabel("Labels").fill("service=db severity=critical env=prod");
    await page.getByRole("button", { name: "Test" }).click();
    await page.getByTestId("route-test-result").waitFor();
    expect(await page.getByTestId("deciding-rule").textContent()).toBe("db-critical");
    expect(await page.getByTestId("route-test-result").textContent()).toMatch(/^page decided by db-critical/);
    expect(await page.getByTestId("deciding-route").getAttribute("data-path")).toBe(
      "route.routes[2].routes[0]",
    );
    await screenshot(page, "routing-tester");
  });
});
