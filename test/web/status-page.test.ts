import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { type LiveServer, startLiveServer } from "../support/live-server.js";
import { toolAvailable } from "../support/system-tools.js";

describe.skipIf(!toolAvailable("chromium"))("web UI in Chromium", () => {
  let browser: Browser;
  let live: LiveServer;
  beforeAll(async () => {
    browser = await launchBrowser();
    live = await startLiveServer({ auth: { requireTokenForReads: true } });
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it("asks for a token first, signs in with it and shows the status page", async () => {
    const token = await live.token("write", "alice");
    const page = await browser.newPage();
    await page.goto(`${live.url}/`);
    await page.getByLabel("API token").waitFor();
    expect(await page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);

    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.getByRole("heading", { name: "Status" }).waitFor();
    await page
      .getByTestId("version")
      .getByText(/nines \d+\.\d+\.\d+/)
      .waitFor();
    expect(await page.getByTestId("health").innerText()).toContain("Healthy");
    expect(await page.getByTestId("ready").innerText()).toContain("Ready");
    expect(await page.getByTestId("ready").innerText()).toContain("sqlite");
    expect(await page.getByTestId("who").innerText()).toBe("alice");

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "nines_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    await page.close();
  });

  it("shows the server's error for a wrong token and stays on the sign-in form", async () => {
    const page = await browser.newPage();
    await page.goto(`${live.url}/sign-in`);
    await page
      .getByLabel("API token")
      .fill("nines_0123456789abcdef_notarealtokennotarealtokennotarealtoken123");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain("NINES_ERR_AUTH_UNAUTHENTICATED");
    await page.close();
  });

  it("navigates between areas without reloading the page and keeps a stable URL", async () => {
    const token = await live.token("read", "bob");
    const page = await browser.newPage();
    await page.goto(`${live.url}/sign-in`);
    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Status" }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
    await page.getByRole("heading", { name: "Incidents" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/incidents");
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.close();
  });
});
