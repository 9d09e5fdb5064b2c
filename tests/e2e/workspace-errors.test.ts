// A workspace that cannot be shown says so in its own words, inside the app (header and sign out stay), and
// leads back to the cycle reports.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage } from "./support/browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("workspace error boundaries", () => {
  for (const [segment, phase] of [
    ["planning", "Planning"],
    ["profiling", "Data profiling"],
  ] as const) {
    it(`${phase}: a cycle report that is not visible is a page of the app, not a blank one`, async () => {
      const page = await newPage(browser);
      await login(page, "tester@example.com", "demo-password");
      const response = await page.goto(`/cycle-reports/999999/${segment}`);
      expect(response?.status()).toBe(404);
      const alert = page.getByRole("alert", { name: `${phase} unavailable` });
      await expect(alert.innerText()).resolves.toContain(`No ${phase.toLowerCase()} here`);
      await expect(page.getByRole("button", { name: "Sign out" }).isVisible()).resolves.toBe(true);
      await alert.getByRole("link", { name: "Back to your cycle reports" }).click();
      await page.waitForURL((url) => url.pathname === "/");
    }, 30_000);
  }
});
