// The workspaces' forms check one schema in the browser and on the server: a wrong field is said beside it
// (aria-invalid, aria-describedby naming the error) before anything is sent, and the server, sent the same
// mistake without JavaScript, answers the same error beside the same field, with no banner: the banner is for
// the database's refusals.
import type { Browser, Locator, Page } from "playwright-core";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../support/db";
import { launchBrowser, login, newPage } from "./support/browser";
import { createPlanningFixture } from "./support/profiling-fixture";

const password = "demo-password";
let browser: Browser;
let sql: postgres.Sql;

beforeAll(async () => {
  browser = await launchBrowser();
  sql = connect();
});

afterAll(async () => {
  await browser?.close();
  await sql?.end();
});

/** A signed-in page, with JavaScript or without it (the server alone checks the forms then). */
async function signedIn(email: string, path: string, javaScriptEnabled = true): Promise<Page> {
  const page = await newPage(browser, { javaScriptEnabled });
  page.setDefaultTimeout(10_000);
  await page.goto(path);
  await login(page, email, password);
  if (new URL(page.url()).pathname !== path) await page.goto(path);
  return page;
}

/** The error said beside a field: the control is aria-invalid and its aria-describedby names the message. */
async function errorBeside(page: Page, control: Locator): Promise<string> {
  await expect.poll(() => control.getAttribute("aria-invalid")).toBe("true");
  const ids = (await control.getAttribute("aria-describedby"))!.split(" ");
  const error = ids.find((id) => id.endsWith("-error"))!;
  return page.locator(`[id="${error}"]`).innerText();
}

/** Records the page's POSTs from now on. */
function postsOf(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  return posts;
}

const banners = (page: Page) => page.getByRole("alert").count();

describe("the rule form", () => {
  it("is checked by its schema on the server too: a bound that is not a number is said beside its field", async () => {
    const fixture = await createPlanningFixture(sql);
    const path = `/cycle-reports/${fixture.cycleReportId}/profiling`;
    const page = await signedIn("tester@example.com", path, false);
    await page.getByRole("button", { name: "Create the first version" }).click();
    const form = page.getByRole("form", { name: "Add a rule" });
    await form.getByLabel("Attribute").selectOption({ label: "amount (amount, numeric)" });
    await form.getByLabel("Rule name").fill("amount bounded");
    await form.getByLabel("Check").selectOption("range");
    await form.getByLabel("Minimum").fill("ten");
    await form.getByRole("button", { name: "Add rule" }).click();
    await page.waitForLoadState();

    const added = page.getByRole("form", { name: "Add a rule" });
    await expect(errorBeside(page, added.getByLabel("Minimum"))).resolves.toBe("Write a number, e.g. 0 or 1250.5.");
    expect(await added.getByLabel("Rule name").getAttribute("aria-invalid")).toBeNull();
    expect(await banners(page)).toBe(0);
    const [{ count }] = await sql<[{ count: number }]>`
      select count(*)::int as count from public.profiling_rules r
        join public.artifact_versions v on v.id = r.version_id
        join public.workflow_phases p on p.id = v.phase_id
       where p.cycle_report_id = ${fixture.cycleReportId}`;
    expect(count).toBe(0);
  }, 60_000);
});
