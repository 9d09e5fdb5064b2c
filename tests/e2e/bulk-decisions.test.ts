// Bulk decisions in the browser: the tester chooses every attribute shown and approves them in one submit;
// every row and the version's counters say so.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStartedCycleReport } from "../support/cycle-report-fixture";
import { craftedPost, expectErrorBeside, expectFieldErrors, watchPosts } from "./support/crafted-post";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
const names = ["Account ID", "Balance", "Currency", "Branch", "Opened on"];

let browser: Browser;
let cycleReportId: number;
let versionId: string;
// A tester of this test's own: other journeys sign the demo users in and out while this one runs.
const tester = { email: `bulk-${randomUUID()}@regtest.test`, password: `pw-${randomUUID()}` };

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = createClient(requiredEnv("SUPABASE_URL"), requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const created = await admin.auth.admin.createUser({
    ...tester,
    email_confirm: true,
    user_metadata: { full_name: "Bulk Tester" },
  });
  if (created.error) throw created.error;
  const suffix = randomUUID().slice(0, 8);
  await db.begin(async (tx) => {
    ({ cycleReportId } = await createStartedCycleReport(tx, {
      reportName: `Bulk report ${suffix}`,
      regulation: "Test regulation",
      cycleName: `Bulk cycle ${suffix}`,
      period: ["2027-07-01", "2027-09-30"],
      ownerEmail: "owner@example.com",
      testerEmail: tester.email,
    }));
    const [version] = await tx<[{ id: string }]>`
      select v.id from public.create_version((select id from public.workflow_phases
        where cycle_report_id = ${cycleReportId} and phase_name = 'planning')) v`;
    versionId = version.id;
    for (const name of names) {
      await tx`insert into public.planning_attributes (version_id, name, data_type) values (${versionId}, ${name}, 'string')`;
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

const settle = (page: Page) => page.waitForLoadState("networkidle");

describe("bulk decisions", () => {
  it("the tester approves every attribute shown in one submit", async () => {
    const page = await newPage(browser);
    await login(page, tester.email, tester.password);
    await page.goto(`/cycle-reports/${cycleReportId}/planning`);
    const region = page.getByRole("region", { name: "Selected version" });
    await expect(region.innerText()).resolves.toContain("5 of 5 items still need a decision");

    const bulk = page.getByRole("form", { name: "Decide on many attributes" });
    await bulk.getByLabel("Choose all shown").check();
    await expect(page.getByLabel("Choose Balance for a decision on many").isChecked()).resolves.toBe(true);
    await bulk.getByLabel("Notes").fill("Checked against the source");
    await bulk.getByRole("button", { name: "Approve chosen" }).click();

    for (const name of names) {
      await expect
        .poll(() => page.locator(`tbody[data-attribute="${name}"] [data-decision="tester"]`).innerText())
        .toMatch(/^✓\s*Approved\s+by Bulk Tester\s+Checked against the source/);
    }
    await expect(region.innerText()).resolves.not.toContain("still need a decision");
    const [counts] = await db<[{ tester_decided_count: number; approved_count: number }]>`
      select tester_decided_count, approved_count from public.artifact_versions where id = ${versionId}`;
    expect(counts).toEqual({ tester_decided_count: 5, approved_count: 5 });
    await settle(page);
  }, 60_000);

  it("says so beside the choice when nothing was chosen, sends nothing, and the action says the same", async () => {
    const page = await newPage(browser);
    await login(page, tester.email, tester.password);
    await page.goto(`/cycle-reports/${cycleReportId}/planning`);
    const posted = watchPosts(page);
    const bulk = page.getByRole("form", { name: "Decide on many attributes" });
    await bulk.getByRole("button", { name: "Reject chosen" }).click();
    await expectErrorBeside(page, bulk.getByLabel("Choose all shown"), "Choose the items to decide on.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);
    // Posted past the browser's check, the action reads the same schema.
    const formId = await bulk.getAttribute("id");
    expectFieldErrors(
      await craftedPost(page, `/cycle-reports/${cycleReportId}/planning`, "routes/cycle-reports.$id_.planning", {
        intent: "decide_many",
        form_id: formId!,
        version_id: versionId,
        item: "attribute",
        side: "tester",
        decision: "rejected",
      }),
      formId!,
      { item_id: "Choose the items to decide on." },
    );
    const [counts] = await db<[{ approved_count: number }]>`
      select approved_count from public.artifact_versions where id = ${versionId}`;
    expect(counts.approved_count).toBe(5);
    await settle(page);
  }, 60_000);
});
