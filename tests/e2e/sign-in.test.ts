import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const admin = createClient(requiredEnv("SUPABASE_URL"), requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
  auth: { autoRefreshToken: false, persistSession: false },
});

// A user of its own, so the journey does not depend on seed data or on other tests.
const email = `sign-in-${randomUUID()}@regtest.test`;
const password = `pw-${randomUUID()}`;
const fullName = "Erin Sign-In";
let userId: string | undefined;
let browser: Browser;

beforeAll(async () => {
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { full_name: fullName },
  });
  if (error) throw error;
  userId = data.user.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (userId) await admin.auth.admin.deleteUser(userId);
});

function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

describe("signing in and out", () => {
  it("sends a signed-out visitor to the login page", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    expect(pathOf(page)).toBe("/login?redirectTo=%2F");
    await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
  });

  it("explains empty fields and a wrong password", async () => {
    const page = await newPage(browser);
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter your email address.").waitFor();
    await expect(page.getByText("Enter your password.").isVisible()).resolves.toBe(true);

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe("Invalid email or password.");
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe(email);
  });

  it("signs in, shows who is signed in, and signs out", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await login(page, email, password);
    expect(pathOf(page)).toBe("/");
    await expect(page.getByTestId("home-email").textContent()).resolves.toBe(email);
    await expect(page.getByTestId("header-email").textContent()).resolves.toBe(email);
    // The profile row is created with the user and read under the user's own row-level security.
    await expect(page.getByRole("heading", { name: `Welcome, ${fullName}` }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("home-role").textContent()).resolves.toBe("Tester");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.goto("/");
    expect(pathOf(page)).toBe("/login?redirectTo=%2F");
  });

  it("works without JavaScript and returns to the page that was asked for", async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto("/no-such-page?x=1");
    expect(pathOf(page)).toBe("/login?redirectTo=%2Fno-such-page%3Fx%3D1");
    await login(page, email, password);
    expect(pathOf(page)).toBe("/no-such-page?x=1");
    await expect(page.getByRole("heading", { name: "Page not found" }).isVisible()).resolves.toBe(true);
  });

  it("never redirects to another site after signing in", async () => {
    const page = await newPage(browser);
    await page.goto(`/login?redirectTo=${encodeURIComponent("//evil.example/")}`);
    await login(page, email, password);
    expect(page.url()).toBe(`${new URL("/", appUrl)}`);
  });
});
