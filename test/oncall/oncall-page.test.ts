import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";
import { oncallDocument } from "./oncall-document.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["NINES_SCREENSHOTS"];
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The Monday at least 14 days before now, as a local date: the rotation has been running a while. */
function mondayBefore(now: number): string {
  const d = new Date(now - 14 * DAY);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

describe.skipIf(!toolAvailable("chromium"))("on-call page in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  let page: Page;
  const now = Date.now();
  // Tomorrow 18:00–24:00 UTC: zoe swaps in for whoever has the evening.
  const swapStart = Math.floor(now / DAY) * DAY + DAY + 18 * HOUR;
  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer();
    const token = await live.token("write", "sre");
    const doc = oncallDocument({
      startDate: mondayBefore(now),
      extraOverrides: [
        {
          id: "swap",
          personId: "zoe",
          start: swapStart,
          end: swapStart + 6 * HOUR,
          reason: "ben at a wedding",
        },
      ],
    });
    doc.people.push({
      id: "lee",
      name: "Lee Park",
      timeZone: "America/New_York",
      contacts: [{ kind: "email", address: "lee@example.com" }],
    } as never);
    doc.teams.push({
      id: "search",
      name: "Search",
      members: ["lee", "ana"],
      scheduleIds: ["search-days"],
    } as never);
    doc.schedules.push({
      id: "search-days",
      name: "Search (days only)",
      layers: [
        {
          id: "days",
          name: "Daytime",
          rotation: {
            participants: ["lee", "ana"],
            length: { unit: "days", count: 1 },
            handoffTime: "08:00",
            timeZone: "America/New_York",
            startDate: mondayBefore(now),
          },
          restrictions: [{ start: "08:00", end: "20:00" }],
        },
      ],
      overrides: [],
    } as never);
    const applied = await fetch(`${live.url}/api/v1/oncall/config`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(doc),
    });
    expect(applied.status, await applied.clone().text()).toBe(200);
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      timezoneId: "Europe/London",
    });
    page = await context.newPage();
    await page.goto(`${live.url}/sign-in`);
    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Status" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("shows who is on call now per team with until when and contacts, and the storage calendar", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "On-call" }).click();
    const storage = page.getByTestId("now-storage-primary");
    await storage.waitFor();
    const text = await storage.innerText();
    expect(text).toMatch(/Storage · Storage primary/i);
    expect(text).toMatch(/(Ana Alves|Ben Brandt|Chen Wei|Dee Dietrich)/);
    expect(text).toMatch(/until .+\(in /);
    expect(text).toMatch(/Next: /);
    await page.getByLabel("Schedule").selectOption("storage-primary");
    await page.waitForURL(/schedule=storage-primary/);
    await page.getByTestId("layer-base").waitFor();
    expect(await page.getByTestId("zone-note").innerText()).toMatch(/Europe\/London.*Europe\/Berlin/s);
    expect(await page.getByTestId("layer-base").locator(".cal-bar").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId("layer-day").locator(".cal-bar").count()).toBeGreaterThanOrEqual(8);
    const override = page.getByTestId("overrides").locator(".cal-bar");
    expect(await override.count()).toBe(1);
    expect(await override.innerText()).toBe("Zoe Zimmer — ben at a wedding");
    expect(await page.getByTestId("final").locator('.cal-bar[data-kind="override"]').count()).toBe(1);
    expect(await page.getByTestId("final").locator('.cal-bar[data-kind="gap"]').count()).toBe(0);
    expect(await page.getByTestId("check-summary").innerText()).toContain("No gaps");
    await screenshot(page, "oncall-storage");
    await page.getByRole("button", { name: "Show table" }).click();
    expect(await page.getByTestId("shifts-table").innerText()).toContain("override");
  });

  it("highlights the gaps of a schedule that leaves the nights uncovered, keeping the choice in the URL", async () => {
    await page.getByLabel("Schedule").selectOption("search-days");
    await page.waitForURL(/schedule=search-days/);
    await page.getByTestId("layer-days").waitFor();
    const gaps = page.getByTestId("final").locator('.cal-bar[data-kind="gap"]');
    expect(await gaps.count()).toBeGreaterThanOrEqual(13);
    expect(await page.getByTestId("check-summary").innerText()).toMatch(/\d+ gap\(s\) with nobody on call/);
    expect(await page.getByTestId("now-search-days").innerText()).toMatch(/Search · Search \(days only\)/i);
    await screenshot(page, "oncall-search-gaps");
    await page.getByRole("button", { name: "7 days" }).click();
    await page.waitForURL(/days=7/);
    await page.getByRole("button", { name: /theme/ }).click();
    await page.getByTestId("oncall-calendar").waitFor();
    await screenshot(page, "oncall-search-dark");
    await page.getByRole("button", { name: /theme/ }).click();
  });
});
