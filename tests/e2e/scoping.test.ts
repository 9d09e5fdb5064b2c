// The scoping journey in the browser: the tester scopes with the offline recommendations, bulk-approves and
// submits; the owner rejects one decision; the tester revises it in a new version; the owner approves; the phase
// completes; data profiling then offers only attributes in scope.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScopingCycleReport, type ScopingCycleReport } from "../support/scoping-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });

let browser: Browser;
let cr: ScopingCycleReport;
// People of this test's own: other journeys sign the demo users in and out while this one runs.
const tester = {
  email: `scoping-t-${randomUUID()}@regtest.test`,
  password: `pw-${randomUUID()}`,
  name: "Scoping Tester",
};
const owner = {
  email: `scoping-o-${randomUUID()}@regtest.test`,
  password: `pw-${randomUUID()}`,
  name: "Scoping Owner",
};

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = createClient(requiredEnv("SUPABASE_URL"), requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (const person of [tester, owner]) {
    const created = await admin.auth.admin.createUser({
      email: person.email,
      password: person.password,
      email_confirm: true,
      user_metadata: { full_name: person.name },
    });
    if (created.error) throw created.error;
  }
  await db`update public.profiles set app_role = 'report_owner' where email = ${owner.email}`;
  cr = await createScopingCycleReport(db, { testerEmail: tester.email, ownerEmail: owner.email });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

const settle = (page: Page) => page.waitForLoadState("networkidle");
/** Polls until the page shows it: actions redirect and reload, which takes longer than expect.poll's default. */
const eventually = <T>(read: () => Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(read, { timeout: 20_000, ...options });
const row = (page: Page, name: string) => page.locator(`tr[data-attribute="${name}"]`);
const workspace = () => `/cycle-reports/${cr.cycleReportId}/scoping`;

async function signedIn(person: { email: string; password: string }): Promise<Page> {
  const page = await newPage(browser);
  await login(page, person.email, person.password);
  await page.goto(workspace());
  return page;
}

describe("scoping in the browser", () => {
  it("the tester scopes with the recommendations, bulk-approves and submits", async () => {
    const page = await signedIn(tester);
    await page.getByRole("button", { name: "Create the first version" }).click();
    await eventually(() => page.getByRole("table", { name: "Scoping decisions" }).locator("tbody tr").count()).toBe(6);
    await expect(row(page, "Amount").innerText()).resolves.toMatch(/CDE[\s\S]*Regulatory/);

    await page.getByRole("button", { name: "Recommend the scope" }).click();
    await eventually(() => page.locator('[data-job-status="completed"]').innerText(), { timeout: 30_000 }).toContain(
      "Proposed 6 recommendations",
    );
    await eventually(() => row(page, "Note").getAttribute("data-scope")).toBe("out");
    await expect(row(page, "Branch").getAttribute("data-scope")).resolves.toBe("out");
    await expect(row(page, "Rating").getAttribute("data-scope")).resolves.toBe("in");
    await expect(row(page, "Loan id").locator("[data-recommendation]").innerText()).resolves.toMatch(
      /In scope[\s\S]*primary key/,
    );

    const bulk = page.getByRole("form", { name: "Decide on many decisions" });
    await bulk.getByLabel("Choose all shown").check();
    await bulk.getByRole("button", { name: "Approve chosen" }).click();
    await eventually(() => page.locator("[data-counts]").innerText()).toContain("6 decided by the tester");

    await page.getByRole("button", { name: "Submit for approval" }).click();
    await eventually(() => page.getByRole("navigation", { name: "Versions" }).innerText()).toContain(
      "Awaiting approval",
    );
    await settle(page);
  }, 90_000);

  it("the owner rejects one decision and the version", async () => {
    const page = await signedIn(owner);
    await page.getByRole("link", { name: /Out of scope \(2\)/ }).click();
    await eventually(() => page.getByRole("table", { name: "Scoping decisions" }).locator("tbody tr").count()).toBe(2);
    const branch = row(page, "Branch").locator('[data-decision="owner"]');
    await branch.getByLabel("Notes of the owner on Branch").fill("Branch feeds schedule RC-B");
    await branch.getByRole("button", { name: "Reject Branch" }).click();
    await eventually(() => row(page, "Branch").locator('[data-decision="owner"]').innerText()).toMatch(/Rejected/);

    await page.getByRole("link", { name: /^All/ }).click();
    await eventually(() => page.getByRole("table", { name: "Scoping decisions" }).locator("tbody tr").count()).toBe(6);
    const bulk = page.getByRole("form", { name: "Decide on many decisions" });
    await bulk.getByLabel("Choose all shown").check();
    await page.getByLabel("Choose Branch for a decision on many").uncheck();
    await bulk.getByRole("button", { name: "Approve chosen" }).click();
    await eventually(() => page.locator("[data-counts]").innerText()).toContain("6 decided by the owner");

    await page.getByText("Reject…").click();
    await page.getByLabel("Reason for rejecting").fill("Branch must be tested");
    await page.getByRole("button", { name: "Reject version" }).click();
    await eventually(() => page.locator("[data-counts]").locator("..").innerText()).toContain(
      "Rejected: Branch must be tested",
    );
    await settle(page);
  }, 90_000);

  it("the tester revises the rejected decision in version 2 and submits", async () => {
    const page = await signedIn(tester);
    await page.getByRole("button", { name: "Start version 2" }).click();
    await eventually(() => page.locator("[data-counts]").innerText()).toContain("5 decided by the owner");
    const scope = page.getByRole("form", { name: "Scope of Branch" });
    await scope.getByLabel("In scope").check();
    await scope.getByLabel("Testing approach of Branch").selectOption("sample_testing");
    await scope.getByLabel("Rationale for Branch").fill("Branch feeds schedule RC-B");
    await scope.getByRole("button", { name: "Save scope" }).click();
    await eventually(() => row(page, "Branch").getAttribute("data-scope")).toBe("in");
    await row(page, "Branch")
      .locator('[data-decision="tester"]')
      .getByRole("button", { name: "Approve Branch" })
      .click();
    await eventually(() => page.locator("[data-counts]").innerText()).toContain("6 decided by the tester");
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await eventually(() => page.getByRole("navigation", { name: "Versions" }).innerText()).toContain(
      "Awaiting approval",
    );
    await settle(page);
  }, 90_000);

  it("the owner approves; the tester completes the phase; profiling offers only attributes in scope", async () => {
    const page = await signedIn(owner);
    await row(page, "Branch")
      .locator('[data-decision="owner"]')
      .getByRole("button", { name: "Approve Branch" })
      .click();
    await eventually(() => page.locator("[data-counts]").innerText()).toContain("6 decided by the owner");
    await page.getByRole("button", { name: "Approve version" }).click();
    await eventually(() => page.getByRole("navigation", { name: "Versions" }).innerText()).toMatch(
      /Version 2\s*✓\s*Approved/,
    );
    await settle(page);

    const work = await newPage(browser);
    await login(work, tester.email, tester.password);
    await work.goto(`/cycle-reports/${cr.cycleReportId}`);
    const phase = work.locator('li[aria-labelledby][data-phase="scoping"]');
    for (const activity of ["Assess the risk of each attribute", "Decide which attributes are in scope"]) {
      await phase.getByRole("button", { name: `Start ${activity}` }).click();
      await phase.getByRole("button", { name: `Complete ${activity}` }).click();
    }
    await phase.getByRole("button", { name: "Complete Scoping" }).click();
    await eventually(() => phase.innerText()).toContain("Completed");

    // Data request is not built yet: it is skipped, as an admin would.
    await db`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = ${cr.phases.data_request!}`;
    await work
      .locator('li[aria-labelledby][data-phase="data_profiling"]')
      .getByRole("button", { name: "Start Data profiling" })
      .click();
    await work.goto(`/cycle-reports/${cr.cycleReportId}/profiling`);
    await work.getByRole("button", { name: "Create the first version" }).click();
    const options = work.getByRole("form", { name: "Add a rule" }).getByLabel("Attribute").locator("option");
    await eventually(() => options.allInnerTexts()).toEqual([
      "Amount (amount, numeric)",
      "Branch (branch, text)",
      "Loan id (loan_id, integer)",
      "Rating (rating, text)",
      "Region (region, text)",
    ]);
    await settle(work);
  }, 120_000);
});
