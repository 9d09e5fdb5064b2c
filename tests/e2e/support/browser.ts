import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { expect, onTestFinished } from "vitest";
import { requiredEnv } from "../../support/env";

/** Where the app under test is served; the devstack writes it to its env file. */
export const appUrl = requiredEnv("APP_URL");

export { requiredEnv };

/** Debian's Chromium, never a downloaded browser; no network traffic of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// The browser logs every response with status >= 400 as a console error. The app answers failed form
// submissions with honest 4xx statuses, so those lines are expected; a broken asset is caught below.
const responseLogLine = /^Failed to load resource: the server responded with a status of 4\d\d\b/;
const assetTypes = new Set(["stylesheet", "script", "image", "font"]);

/**
 * A page in a fresh browser context (no cookies) that fails the current test if the page logs a
 * console error, throws an uncaught error, or fails to load one of its assets.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: appUrl, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !responseLogLine.test(message.text())) {
      problems.push(`console.error: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`uncaught error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && assetTypes.has(response.request().resourceType())) {
      problems.push(`asset ${response.url()} answered ${response.status()}`);
    }
  });
  page.on("requestfailed", (request) => {
    // Without JavaScript the browser refuses the app's scripts on purpose.
    if (options.javaScriptEnabled === false && request.resourceType() === "script") return;
    // A navigation cancels the requests still in flight (Remix's route discovery, the favicon); that is no
    // fault. A missing or broken asset answers 4xx/5xx or fails otherwise, and is caught.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  onTestFinished(async () => {
    await context.close();
    expect(problems, "problems reported by the page").toEqual([]);
  });
  return page;
}

/** Signs in through the login form and waits until the app has left the login page. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  if (!new URL(page.url(), appUrl).pathname.startsWith("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}
