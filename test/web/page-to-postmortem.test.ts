import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
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
    routes: [
      {
        name: "checkout-critical",
        matchers: ["service=checkout", "severity=critical"],
        classify: "page",
        team: "web",
      },
    ],
  },
};

async function signIn(
  browser: Browser,
  url: string,
  token: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Status" }).waitFor();
  return { context, page };
}

describe.skipIf(!toolAvailable("chromium"))("one incident from a page to a published postmortem", () => {
  let browser: Browser;
  let live: LiveServer;
  let alice: Page;
  let bob: Page;
  let aliceToken: string;
  const contexts: BrowserContext[] = [];

  const post = async (path: string, token: string, body: unknown, method = "POST") => {
    const response = await fetch(`${live.url}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer({ incidents: { detectorEnabled: false } });
    aliceToken = await live.token("write", "alice");
    const bobToken = await live.token("read", "bob");
    await post("/api/v1/routing", await live.token("admin", "root"), ROUTING, "PUT");
    const a = await signIn(browser, live.url, aliceToken);
    const b = await signIn(browser, live.url, bobToken);
    contexts.push(a.context, b.context);
    alice = a.page;
    bob = b.page;
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await live?.close();
  });

  it("walks a paged signal through a declared incident to a published, searchable postmortem", async () => {
    // A monitoring system sends a signal the routing tree makes a page.
    const sent = await post("/api/v1/signals", aliceToken, {
      source: "alertmanager",
      service: "checkout",
      title: "Checkout 5xx above 2%",
      severity: "critical",
      labels: { alertname: "CheckoutErrors", env: "prod" },
    });
    const pageId = sent.results[0].pageId as number;
    expect(pageId).toEqual(expect.any(Number));

    // Pages: acknowledge, then declare the incident in one click.
    await alice.goto(`${live.url}/pages`);
    const row = alice.getByTestId(`page-${pageId}`);
    await row.getByText("Checkout 5xx above 2%").waitFor();
    await row.getByRole("button", { name: "Acknowledge" }).click();
    await row.getByTestId("page-status").filter({ hasText: "acknowledged" }).waitFor();
    await screenshot(alice, "page-to-postmortem-1-pages");
    await row.getByRole("button", { name: "Declare incident" }).click();

    // The incident: declared from the page, whose trigger and acknowledgement are in the timeline.
    await alice.getByTestId("incident-title").waitFor();
    expect(await alice.getByTestId("incident-title").textContent()).toBe("Checkout 5xx above 2%");
    expect(alice.url()).toMatch(/\/incidents\/inc-1$/);
    expect(await alice.locator(".summary-line").textContent()).toContain(`from page ${pageId}`);
    const timeline = alice.getByTestId("incident-timeline");
    await timeline.getByText(`Page #${pageId} triggered: Checkout 5xx above 2%`, { exact: false }).waitFor();
    await timeline.getByText(`Page #${pageId} acknowledged by alice`).waitFor();
    await timeline
      .getByText("Signal received: Checkout 5xx above 2% (alertmanager, checkout, critical)", {
        exact: false,
      })
      .waitFor();
    await alice.getByLabel("Timeline note").fill("Rolled back config 42; errors dropping");
    await alice.getByRole("button", { name: "Add note" }).click();
    await timeline.getByText("Rolled back config 42; errors dropping").waitFor();
    await screenshot(alice, "page-to-postmortem-2-incident");

    // Back on Pages the row links to its incident instead of offering a second one.
    await alice.goto(`${live.url}/pages`);
    await row.getByTestId("page-incident").getByText("inc-1 (investigating)").waitFor();
    expect(await row.getByRole("button", { name: "Declare incident" }).count()).toBe(0);
    await row.getByTestId("page-incident").click();
    await alice.getByTestId("incident-title").waitFor();

    // Resolve: a SEV2 requires a postmortem.
    await alice.getByRole("button", { name: "Mark resolved" }).click();
    await alice.getByTestId("requirement").waitFor();
    expect(await alice.getByTestId("requirement").textContent()).toContain("severity");
    await alice.getByRole("button", { name: "Start the postmortem" }).click();
    await alice.getByTestId("postmortem-editor").waitFor();
    expect(alice.url()).toMatch(/\/postmortems\/pm-1$/);
    const editor = alice.getByLabel("Postmortem Markdown");
    const md = await editor.inputValue();
    expect(md).toContain(`Page #${pageId} triggered`);
    await editor.fill(
      md
        .replace(
          "## Summary\n",
          "## Summary\n\nCheckout returned 5xx for 2% of requests after a config push.\n",
        )
        .replace(
          "## Root causes\n",
          "## Root causes\n\nThe deploy tool accepts configs without a schema check.\n",
        ),
    );
    await alice.getByRole("button", { name: "Save draft" }).click();
    await alice.getByTestId("postmortem-message").getByText("Saved.").waitFor();
    await alice.getByLabel("Reviewers").fill("bob");
    await alice.getByRole("button", { name: "Submit for review" }).click();
    await alice.getByTestId("review-panel").waitFor();
    expect(await alice.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);

    // A second principal reviews and approves.
    await bob.goto(`${live.url}/postmortems/pm-1`);
    await bob.getByTestId("review-panel").waitFor();
    await bob.getByLabel("Review comment").fill("Timeline from the page is clear");
    await bob.getByRole("button", { name: "Approve" }).click();
    await bob.getByTestId("postmortem-status").getByText("bob: approved").waitFor();

    await alice.reload();
    await alice.getByRole("button", { name: "Publish" }).click();
    await alice.getByTestId("postmortem-status").getByText("published").waitFor();
    await screenshot(alice, "page-to-postmortem-3-published");

    await alice.goto(`${live.url}/postmortems?q=schema%20check`);
    await alice.getByTestId("postmortem-hits").getByText("Checkout 5xx above 2%").waitFor();
    await screenshot(alice, "page-to-postmortem-4-search");
  }, 180_000);
});
