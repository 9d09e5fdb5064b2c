import { randomUUID } from "node:crypto";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
const seedPassword = "demo-password";
const seedTesterId = "00000000-0000-4000-a000-000000000002";
const seedAdminId = "00000000-0000-4000-a000-000000000001";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

/** Report names of the cycle report cards on the home page. */
async function cardReports(page: Page): Promise<(string | null)[]> {
  // The home page may still be loading right after sign-in; every demo account has at least one card.
  await page.getByTestId("cycle-report").first().waitFor();
  return page.getByTestId("cycle-report").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-report")));
}

async function signedIn(email: string, options?: { javaScriptEnabled: boolean }): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto("/");
  await login(page, email, seedPassword);
  return page;
}

// Route discovery fetches in the background; closing the page under them would count as a failed request.
const settle = (page: Page) => page.waitForLoadState("networkidle");

const phaseCard = (page: Page, name: string) => page.locator(`li[data-phase="${name}"]`).last();

describe("the demo accounts see their own cycle reports", () => {
  it("tester@ sees FR Y-9C with its nine phases, not FFIEC 031, and opens it", async () => {
    const page = await signedIn("tester@example.com");
    const reports = await cardReports(page);
    expect(reports).toContain("FR Y-9C");
    expect(reports).not.toContain("FFIEC 031");

    const card = page.locator('[data-testid="cycle-report"][data-report="FR Y-9C"]');
    const steps = card.getByRole("list", { name: "Phases of FR Y-9C · 2026 Q4" }).getByRole("listitem");
    await expect(steps.count()).resolves.toBe(9);
    // Each step says its phase and status in words.
    await expect(steps.first().innerText()).resolves.toMatch(
      /1\. Planning\s+\S*\s*(Not started|In progress|Completed)/,
    );

    await card.getByRole("link", { name: "FR Y-9C · 2026 Q4" }).click();
    await page.getByRole("heading", { level: 1, name: "FR Y-9C · 2026 Q4" }).waitFor();
    await expect(page.getByRole("heading", { level: 3 }).allInnerTexts()).resolves.toEqual([
      "1. Planning",
      "2. Scoping",
      "3. Data request",
      "4. Data profiling",
      "5. Sample selection",
      "6. Request for information",
      "7. Test execution",
      "8. Observation management",
      "9. Test report",
    ]);
    await settle(page);
  });

  it("owner2@ sees only FFIEC 031 and cannot start its phases", async () => {
    const page = await signedIn("owner2@example.com");
    const reports = await cardReports(page);
    expect(reports).toContain("FFIEC 031");
    expect(reports).not.toContain("FR Y-9C");
    await page.getByRole("link", { name: "FFIEC 031 · 2026 Q4" }).click();
    await page.getByRole("heading", { level: 1, name: "FFIEC 031 · 2026 Q4" }).waitFor();
    await expect(page.getByRole("button", { name: /^Start/ }).count()).resolves.toBe(0);
    await settle(page);
  });
});

describe("tester@ works on a cycle report of this test", () => {
  // Changes of state happen on a cycle report of its own, so the demo data stays as other tests expect it.
  let cycleReportId: number;
  let title: string;

  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    const reportName = `Journey report ${suffix}`;
    const cycleName = `Journey cycle ${suffix}`;
    title = `${reportName} · ${cycleName}`;
    const [row] = await db<{ id: string }[]>`
      with r as (
        insert into public.reports (name, regulation, owner_id) values (${reportName}, 'Test regulation', ${seedAdminId})
        returning id
      ), c as (
        insert into public.test_cycles (name, period_start, period_end, status)
        values (${cycleName}, '2027-01-01', '2027-03-31', 'active') returning id
      )
      insert into public.cycle_reports (cycle_id, report_id) select c.id, r.id from c, r returning id`;
    cycleReportId = Number(row!.id);
    await db`insert into public.cycle_report_testers (cycle_report_id, tester_id) values (${cycleReportId}, ${seedTesterId})`;
  });

  it("starts planning and sees it in progress, on the page and on the home page", async () => {
    const page = await signedIn("tester@example.com");
    await page.goto(`/cycle-reports/${cycleReportId}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();

    await page.getByRole("button", { name: "Start Planning" }).click();
    const planning = phaseCard(page, "planning");
    await planning.getByRole("button", { name: "Complete Planning" }).waitFor();
    await expect(planning.innerText()).resolves.toMatch(/In progress/);
    await expect(planning.innerText()).resolves.toMatch(/Started by Theo Tester on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    await page.getByRole("link", { name: "All cycle reports" }).click();
    const step = page
      .locator(`[data-testid="cycle-report"][data-report^="Journey report"]`)
      .filter({ hasText: title })
      .locator('li[data-phase="planning"]');
    await expect(step.innerText()).resolves.toMatch(/1\. Planning\s+\S*\s*In progress/);
    await settle(page);
  });

  it("shows the database's refusal when scoping is started before planning completes", async () => {
    const page = await signedIn("tester@example.com");
    await page.goto(`/cycle-reports/${cycleReportId}`);
    await page.getByRole("button", { name: "Start Scoping" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain("Earlier phases must be completed first");
    await expect(alert.innerText()).resolves.toContain("The scoping phase cannot start before planning is completed.");
    await expect(phaseCard(page, "scoping").innerText()).resolves.toMatch(/Not started/);
    await settle(page);
  });

  it("works without JavaScript: activities the work proves have no buttons, refusals are shown", async () => {
    const page = await signedIn("tester@example.com", { javaScriptEnabled: false });
    await page.goto(`/cycle-reports/${cycleReportId}`);
    const activity = page.locator(`li[data-activity="Load the report's attributes"]`);
    await expect(activity.innerText()).resolves.toContain(
      "Completes itself when the current version has planning attributes.",
    );
    await expect(activity.getByRole("button").count()).resolves.toBe(0);

    await page.getByRole("button", { name: "Complete Planning" }).click();
    await expect(page.getByRole("alert").innerText()).resolves.toContain("Required activities are still open");
  });

  it("an admin skips planning, then scoping once started, each with a reason, and the cycle moves on", async () => {
    const tester = await signedIn("tester@example.com");
    await tester.goto(`/cycle-reports/${cycleReportId}`);
    await tester.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect(tester.getByText("Skip Planning…").count()).resolves.toBe(0);
    await settle(tester);

    const admin = await signedIn("admin@example.com");
    await admin.goto(`/cycle-reports/${cycleReportId}`);
    const planning = phaseCard(admin, "planning");
    await planning.getByText("Skip Planning…").click();
    await planning.getByLabel("Why skip Planning?").fill("Attributes carried over from last quarter");
    await planning.getByRole("button", { name: "Skip Planning" }).click();
    await planning.getByText("Skipped: Attributes carried over from last quarter").waitFor();
    await expect(planning.innerText()).resolves.toMatch(/Skipped/);

    await admin.getByRole("button", { name: "Start Scoping" }).click();
    const scoping = phaseCard(admin, "scoping");
    await scoping.getByRole("button", { name: "Complete Scoping" }).waitFor();
    await scoping.getByText("Skip Scoping…").click();
    await scoping.getByLabel("Why skip Scoping?").fill("Scope agreed with the owner outside the tool");
    await scoping.getByRole("button", { name: "Skip Scoping" }).click();
    await scoping.getByText("Skipped: Scope agreed with the owner outside the tool").waitFor();

    const [row] = await db<{ status: string; skip_reason: string }[]>`
      select status, skip_reason from public.workflow_phases
       where cycle_report_id = ${cycleReportId} and phase_name = 'scoping'`;
    expect(row).toEqual({ status: "skipped", skip_reason: "Scope agreed with the owner outside the tool" });
    await expect(admin.getByRole("button", { name: "Start Data request" }).count()).resolves.toBe(1);
    await settle(admin);
  });
});
