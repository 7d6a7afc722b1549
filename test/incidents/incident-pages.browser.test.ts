import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { ratioSpec } from "../support/specs.js";
import { toolAvailable } from "../support/system-tools.js";

/** With NINES_SCREENSHOTS=DIR, saves full-page screenshots there to look at the pages. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

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

describe.skipIf(!toolAvailable("chromium"))(
  "an incident from page to published postmortem in Chromium",
  () => {
    let browser: Browser;
    let live: LiveServer;
    let alice: Page;
    let bob: Page;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
      live = await startLiveServer({ incidents: { detectorEnabled: false } });
      const aliceToken = await live.token("write", "alice");
      const bobToken = await live.token("read", "bob");
      const applied = await fetch(`${live.url}/api/v1/slos/apply`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${aliceToken}` },
        body: JSON.stringify({
          files: [{ path: "checkout.yaml", text: ratioSpec({ service: "checkout", target: 99.9 }) }],
        }),
      });
      expect(applied.status).toBe(200);
      const now = Date.now();
      const samples = [];
      for (let m = 120; m >= 0; m--)
        samples.push({
          slo: "checkout/availability",
          ts: now - m * 60_000,
          bad: m <= 25 ? 150 : 0,
          total: 1000,
        });
      const pushed = await fetch(`${live.url}/api/v1/sli/samples`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${aliceToken}` },
        body: JSON.stringify({ samples }),
      });
      expect(pushed.status).toBe(200);
      await live.server.domains.slo.runtime.follow();
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

    it("declares from a page, notes, resolves, writes, reviews and publishes the postmortem", async () => {
      await alice.goto(`${live.url}/incidents`);
      await alice.getByText("No open incidents").waitFor();
      await alice.getByRole("button", { name: "Declare an incident" }).click();
      await alice.getByLabel("Title").fill("Checkout 5xx after config push");
      await alice.getByLabel("Services").fill("checkout");
      await alice.getByLabel("From page (optional)").fill("page-4711");
      await alice.getByLabel("Cause tags").fill("bad-config-push");
      await alice.getByLabel("Impact began (minutes ago)").fill("26");
      await alice.getByRole("button", { name: "Declare incident", exact: true }).click();
      await alice.getByTestId("incident-title").waitFor();
      expect(await alice.getByTestId("incident-title").textContent()).toBe("Checkout 5xx after config push");
      expect(alice.url()).toMatch(/\/incidents\/inc-1$/);
      expect(await alice.locator(".summary-line").textContent()).toContain("from page page-4711");

      await alice.getByLabel("Role commander").fill("alice");
      await alice.getByRole("button", { name: "Save roles" }).click();
      await alice.getByTestId("incident-timeline").getByText("alice is commander").waitFor();
      await alice.getByLabel("Timeline note").fill("Rolled back config 42; errors dropping");
      await alice.getByRole("button", { name: "Add note" }).click();
      await alice
        .getByTestId("incident-timeline")
        .getByText("Rolled back config 42; errors dropping")
        .waitFor();
      await screenshot(alice, "incident-investigating");

      await alice.getByRole("button", { name: "Mark resolved" }).click();
      await alice.getByTestId("requirement").waitFor();
      expect(await alice.getByTestId("requirement").textContent()).toContain("severity");
      await screenshot(alice, "incident-resolved");

      await alice.getByRole("button", { name: "Start the postmortem" }).click();
      await alice.getByTestId("postmortem-editor").waitFor();
      expect(alice.url()).toMatch(/\/postmortems\/pm-1$/);
      const editor = alice.getByLabel("Postmortem Markdown");
      const md = await editor.inputValue();
      expect(md).toContain("## Root causes");
      // 15% errors on a 0.1% budget for ~25 minutes of 30 days: about 8.7% of the budget.
      const budget = Number(/Error budget consumed: ([\d.]+)%/.exec(md)?.[1]);
      expect(budget).toBeGreaterThan(7);
      expect(budget).toBeLessThan(10.5);
      await editor.fill(
        md
          .replace(
            "## Summary\n",
            "## Summary\n\nFor 25 minutes 15% of checkout requests failed after a config push.\n",
          )
          .replace(
            "## Root causes\n",
            "## Root causes\n\nBob forgot to validate the config. The deploy tool accepts configs without a schema check.\n",
          ),
      );
      await alice.getByRole("button", { name: "Save draft" }).click();
      await alice.getByTestId("postmortem-message").getByText("Saved.").waitFor();
      await screenshot(alice, "postmortem-editor");
      await alice.getByLabel("Reviewers").fill("bob");
      await alice.getByRole("button", { name: "Submit for review" }).click();
      await alice.getByTestId("review-panel").waitFor();
      const flag = alice.locator('[data-kind="blamelessness"]');
      await flag.first().waitFor();
      expect(await flag.first().textContent()).toContain("Bob forgot to validate the config.");
      expect(await alice.getByRole("button", { name: "Publish" }).isDisabled()).toBe(true);

      await bob.goto(`${live.url}/postmortems/pm-1`);
      await bob.getByTestId("review-panel").waitFor();
      await screenshot(bob, "postmortem-review");
      await bob.getByLabel("Review comment").fill("Clear timeline, thanks");
      await bob.getByRole("button", { name: "Approve" }).click();
      await bob.getByTestId("postmortem-status").getByText("bob: approved").waitFor();

      await alice.reload();
      await alice.getByRole("button", { name: "Publish" }).click();
      await alice.getByTestId("postmortem-status").getByText("published").waitFor();
      await alice.getByTestId("postmortem-sections").waitFor();
      await screenshot(alice, "postmortem-published");

      await alice.goto(`${live.url}/postmortems?q=schema%20check`);
      await alice.getByTestId("postmortem-hits").getByText("Checkout 5xx after config push").waitFor();
      await screenshot(alice, "postmortem-search");

      const item = await alice.evaluate(async () => {
        const response = await fetch("/api/v1/action-items", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            postmortemId: "pm-1",
            description: "Validate configs against a schema before push",
            type: "prevent",
            owner: "dave",
            priority: "P1",
            dueAt: Date.now() - 86_400_000,
            team: "platform",
          }),
        });
        return response.status;
      });
      expect(item).toBe(201);
      await alice.goto(`${live.url}/action-items`);
      await alice
        .getByTestId("column-open")
        .getByText("Validate configs against a schema before push")
        .waitFor();
      expect(await alice.getByTestId("column-open").textContent()).toContain("overdue");
      await alice.getByLabel("Move ai-1").selectOption("in-progress");
      await alice
        .getByTestId("column-in-progress")
        .getByText("Validate configs against a schema before push")
        .waitFor();
      await screenshot(alice, "action-items");

      await alice.goto(`${live.url}/incidents?status=all`);
      await alice.getByTestId("incident-inc-1").getByText("pm-1 (published)").waitFor();
      await screenshot(alice, "incidents-list");
    }, 180_000);
  },
);
