// The login form and the sign-in events filter say a wrong field beside it (aria-invalid, aria-describedby) before
// anything is sent; the server reads the same schemas, so a request made past the browser's check gets the same
// field errors back.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, launchBrowser, login, newPage } from "./support/browser";
import { craftedPost, expectErrorBeside, expectFieldErrors, watchPosts } from "./support/crafted-post";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("the login form", () => {
  it("a malformed email and no password are said beside their fields, nothing is sent, and the action says the same", async () => {
    const page = await newPage(browser);
    await page.goto("/login");
    const posted = watchPosts(page);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectErrorBeside(page, page.getByLabel("Email"), "Enter a valid email address.");
    await expectErrorBeside(page, page.getByLabel("Password"), "Enter your password.");
    await expect(page.getByLabel("Email").evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);
    expectFieldErrors(
      await craftedPost(page, "/login", "routes/login", { email: "not-an-email", password: "" }),
      "sign-in",
      { email: "Enter a valid email address.", password: "Enter your password." },
    );
  }, 60_000);
});

describe("the sign-in events filter", () => {
  it("a malformed email is said beside the field before the page is asked for; asked anyway, the page says the same", async () => {
    const page = await newPage(browser);
    await page.goto("/sign-in-events");
    await login(page, "admin@example.com", "demo-password");
    await page.waitForURL((url) => url.pathname === "/sign-in-events");
    const filter = page.getByRole("form", { name: "Filter sign-in events" });
    await filter.getByLabel("Person (email)").fill("nobody");
    await filter.getByRole("button", { name: "Show" }).click();
    await expectErrorBeside(page, filter.getByLabel("Person (email)"), "Enter a valid email address.");
    expect(new URL(page.url()).search).toBe("");

    const response = await page.request.get(`${appUrl}/sign-in-events?email=nobody&_data=routes%2Fsign-in-events`);
    expect(response.status()).toBe(400);
    expect((await response.json()).formErrors).toEqual({
      formId: "sign-in-events-filter",
      fieldErrors: { email: "Enter a valid email address." },
    });
    // Loaded so, the page shows the error beside the field too.
    await page.goto("/sign-in-events?email=nobody");
    await expectErrorBeside(page, filter.getByLabel("Person (email)"), "Enter a valid email address.");
  }, 60_000);
});
