import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser } from "../support/app-http";
import { appUrl, launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
const screenshots = process.env.E2E_SCREENSHOTS;
let browser: Browser;
let user: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  browser = await launchBrowser();
  user = await createTestUser("security-e2e");
});
afterAll(async () => {
  await browser?.close();
  await user?.remove();
  await db.end();
});

async function shot(page: Page, name: string) {
  if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

function expectSecurityHeaders(response: Response | null, what: string) {
  const headers = response!.headers();
  expect(headers["content-security-policy"], what).toMatch(/script-src 'self' 'nonce-[^']+'; /);
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("microphone=()");
}

/** Moves the browser's copy of the session past its access token's expiry, so the next page refreshes it. */
async function expireAccessTokenInBrowser(context: BrowserContext) {
  const cookies = (await context.cookies()).filter((c) => /-auth-token(\.\d+)?$/.test(c.name));
  cookies.sort((a, b) => a.name.localeCompare(b.name));
  const raw = cookies.map((c) => c.value).join("");
  const session = JSON.parse(Buffer.from(raw.replace(/^base64-/, ""), "base64url").toString("utf8"));
  session.expires_at = Math.floor(Date.now() / 1000) - 60;
  const value = `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
  await context.clearCookies();
  const name = cookies[0]!.name.replace(/\.\d+$/, "");
  const size = 3000;
  const parts = value.length <= size ? [[name, value]] : chunk(value, size).map((v, i) => [`${name}.${i}`, v]);
  await context.addCookies(
    parts.map(([n, v]) => ({ ...cookies[0]!, name: n!, value: v!, expires: cookies[0]!.expires })),
  );
}

const chunk = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe("security headers in the browser", () => {
  it("are on the main pages, whose scripts run under the policy (no violation, pages hydrate)", async () => {
    const page = await newPage(browser);
    expectSecurityHeaders(await page.goto("/login"), "login");
    await login(page, "tester@example.com", "demo-password");
    expectSecurityHeaders(await page.goto("/"), "start page");
    const report = page.getByRole("link", { name: /FR Y-9C/ }).first();
    await report.click();
    await page.waitForURL(/\/cycle-reports\/\d+$/);
    expectSecurityHeaders(await page.reload(), "cycle report");
    // Every phase's workspace, each rendering under the policy (a violation would be a console error).
    const base = new URL(page.url()).pathname;
    for (const workspace of [
      "planning",
      "scoping",
      "requests/data_request",
      "profiling",
      "sampling",
      "requests/request_info",
      "testing",
      "observations",
      "report",
    ]) {
      const response = await page.goto(`${base}/${workspace}`);
      expect(response!.status(), workspace).toBe(200);
      expectSecurityHeaders(response, workspace);
    }
    expectSecurityHeaders(await page.goto("/llm-usage"), "LLM usage");
    // Hydrated: a client-side navigation happens without a document request.
    let documents = 0;
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents += 1;
    });
    await page.getByRole("link", { name: "RegTest" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(documents).toBe(0);
  });

  it("are on a data provider's home and the admins' pages", async () => {
    const provider = await newPage(browser);
    await provider.goto("/login");
    await login(provider, "provider@example.com", "demo-password");
    expectSecurityHeaders(await provider.goto("/"), "provider home");
    const admin = await newPage(browser);
    await admin.goto("/login");
    await login(admin, "admin@example.com", "demo-password");
    expectSecurityHeaders(await admin.goto("/audit-trail"), "audit trail");
    expectSecurityHeaders(await admin.goto("/sign-in-events"), "sign-in events");
  });

  it("keep another site from framing a page: the frame stays empty", async () => {
    const framer: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!DOCTYPE html><title>framer</title><iframe id="target" src="${appUrl}/login" width="800" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on("console", (message) => refused.push(message.text()));
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      await page.waitForTimeout(1000);
      await shot(page, "framed-login");
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame).toBeDefined();
      expect(frame!.url()).not.toContain("/login");
      await expect(frame!.locator("input[name=password]").count()).resolves.toBe(0);
      expect(refused.join("\n")).toMatch(/frame-ancestors|X-Frame-Options/);
    } finally {
      await context.close();
      await new Promise((resolve) => framer.close(resolve));
    }
  });
});

describe("a form on another site", () => {
  it("posting to the app gets the refusal page, and the user stays signed in", async () => {
    const other: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!DOCTYPE html><title>elsewhere</title><form method="post" action="${appUrl}/logout"><button>Win a prize</button></form>`,
      );
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const visitor = await createTestUser("security-e2e-visitor");
    try {
      const page = await newPage(browser);
      await page.goto("/login");
      await login(page, visitor.email, visitor.password);
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      await page.getByRole("button", { name: "Win a prize" }).click();
      await page.getByRole("heading", { name: "Request refused" }).waitFor();
      await shot(page, "cross-site-refused");
      await page.getByRole("link", { name: "Back to RegTest" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await expect(page.getByTestId("header-email").textContent()).resolves.toBe(visitor.email);
    } finally {
      await visitor.remove();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe("signing in, out, and a session that ends", () => {
  it("records every step for admins and signs the user out with a clear message when the session ended", async () => {
    const page = await newPage(browser);
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe("Invalid email or password.");

    await login(page, user.email, user.password);
    await shot(page, "signed-in");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/login");

    await login(page, user.email, user.password);
    // Twelve hours later (the session's absolute limit), with the access token expired.
    await db`update auth.sessions set created_at = now() - interval '12 hours 1 minute' where user_id = ${user.id}`;
    await expireAccessTokenInBrowser(page.context());
    await page.goto("/llm-usage");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("ended")).toBe("timebox");
    await expect(page.getByRole("status").textContent()).resolves.toContain("maximum length");
    await shot(page, "session-ended");
    // Signed out for good: the cookie is gone and the session with it.
    expect((await page.context().cookies()).filter((c) => /-auth-token/.test(c.name))).toEqual([]);
    await expect(db`select 1 from auth.sessions where user_id = ${user.id}`).resolves.toHaveLength(0);
    // Back to where the user was, after signing in again.
    await login(page, user.email, user.password);
    expect(new URL(page.url()).pathname).toBe("/llm-usage");

    const adminPage = await newPage(browser);
    await adminPage.goto("/login");
    await login(adminPage, "admin@example.com", "demo-password");
    await adminPage.getByRole("link", { name: "Sign-in events" }).click();
    await adminPage.waitForURL((url) => url.pathname === "/sign-in-events");
    // The newest 200 of everyone may be other people's by now: the user's own.
    const filter = adminPage.getByRole("form", { name: "Filter sign-in events" });
    await filter.getByLabel("Person (email)").fill(user.email);
    await filter.getByRole("button", { name: "Show" }).click();
    await adminPage.waitForURL((url) => url.searchParams.get("email") === user.email);
    const rows = adminPage.getByTestId("sign-in-event").filter({ hasText: user.email });
    const events = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-event")));
    // Newest first; the loaders of the page that found the session ended recorded it once.
    expect(events).toEqual(["signed_in", "session_expired", "signed_in", "signed_out", "signed_in", "sign_in_failed"]);
    await expect(rows.first().locator("td").nth(3).textContent()).resolves.toMatch(/^127\.0\.0\.1$|^::1$/);
    await shot(adminPage, "sign-in-events");
  });

  it("says so when the session ended after 30 minutes without activity", async () => {
    const page = await newPage(browser);
    await page.goto("/login");
    await login(page, user.email, user.password);
    await db`update auth.sessions set created_at = now() - interval '31 minutes', refreshed_at = null
             where user_id = ${user.id}`;
    await db`update auth.refresh_tokens set updated_at = now() - interval '31 minutes' where user_id = ${user.id}`;
    await expireAccessTokenInBrowser(page.context());
    await page.goto("/");
    expect(new URL(page.url()).searchParams.get("ended")).toBe("inactivity");
    await expect(page.getByRole("status").textContent()).resolves.toContain("inactive for too long");
  });

  it("keeps the admins' page from everyone else", async () => {
    const page = await newPage(browser);
    await page.goto("/login");
    await login(page, "tester@example.com", "demo-password");
    await expect(page.getByRole("link", { name: "Sign-in events" }).count()).resolves.toBe(0);
    const response = await page.goto("/sign-in-events");
    expect(response!.status()).toBe(403);
  });
});
