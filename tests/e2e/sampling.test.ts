// The sample-selection journey in the browser: the tester sizes the sample with the calculator, draws it and
// decides it in bulk; the report owner re-performs the selection ("identical"), searches the population, asks for
// a sample, rejects one and sends the version back; the tester's version 2 carries the approved samples forward
// with their lineage, takes in the owner's sample and draws one more; the owner approves, the CSV export carries
// the lineage, and the tester completes the phase.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const password = "demo-password";

let browser: Browser;
let fixture: SamplingFixture;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([launchBrowser(), createSamplingFixture(db, { rows: 500 })]);
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

async function openWorkspace(email: string): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(10_000);
  await page.goto(`/cycle-reports/${fixture.cycleReportId}`);
  await login(page, email, password);
  await page.getByRole("link", { name: "Sample selection: open the workspace" }).click();
  await page.getByRole("heading", { level: 1, name: "Sample selection" }).waitFor();
  return page;
}

const samplesTable = (page: Page) => page.getByRole("table", { name: "Samples" });
const sampleRows = (page: Page) => samplesTable(page).locator("tbody tr");
const settle = (page: Page) => page.waitForLoadState("networkidle");
// An action's redirect and the page's reload take more than the poll's default second on a busy machine.
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

async function bulkDecide(page: Page, button: "Approve chosen" | "Reject chosen") {
  const bulk = page.getByRole("form", { name: "Decide on many samples" });
  await bulk.getByLabel("Choose all shown").check();
  await bulk.getByRole("button", { name: button }).click();
}

describe("sample selection in the browser", () => {
  it("tester draws, owner reviews and asks for more, version 2 carries the approved samples forward", async () => {
    // The tester sizes the sample with the calculator: 90% confidence, 10% tolerable, none expected: 22.
    const tester = await openWorkspace("tester@example.com");
    await tester.getByRole("button", { name: "Create the first version" }).click();
    const calculator = tester.getByRole("form", { name: "Sample-size calculator" });
    await calculator.waitFor();
    await calculator.getByLabel("Confidence (%)").fill("90");
    await calculator.getByLabel("Tolerable deviation rate (%)").fill("10");
    await calculator.getByRole("button", { name: "Calculate" }).click();
    await poll(() => tester.getByRole("status", { name: "Calculated sample size" }).innerText()).toContain(
      "Sample size: 22",
    );

    // It draws a simple random sample of that size, with a seed of its own.
    const run = tester.getByRole("form", { name: "Run the selection" });
    await run.getByLabel("Key column").selectOption("loan_id");
    await run.getByLabel("Amount column").selectOption("amount");
    await run.getByLabel("Simple random").check();
    await expect(run.getByLabel("Confidence (%)").inputValue()).resolves.toBe("90");
    await run.getByLabel("Seed (empty: a random one, recorded)").fill("browser-journey");
    await run.getByRole("button", { name: "Draw the samples" }).click();
    await poll(() => sampleRows(tester).count()).toBe(22);
    const summary = tester.getByRole("definition").filter({ hasText: "browser-journey" });
    await summary.waitFor();
    await expect(tester.getByLabel("Population summary").innerText()).resolves.toMatch(/Rows\s+500/);
    // Only the columns the test needs, the confidential tax id masked.
    await expect(sampleRows(tester).first().innerText()).resolves.toContain("tax_id: ***");

    await bulkDecide(tester, "Approve chosen");
    await poll(() => tester.locator('[data-decision="tester"]', { hasText: "Approved" }).count()).toBe(22);
    await tester.getByRole("button", { name: "Submit for approval" }).click();
    await tester.getByRole("link", { name: /Version 1\s+…?\s*Awaiting approval/ }).waitFor();
    await settle(tester);

    // The owner re-performs the selection: identical.
    const owner = await openWorkspace("owner@example.com");
    await owner.getByRole("button", { name: "Re-perform the selection" }).click();
    await poll(() => owner.getByRole("status", { name: "Re-performance verdict" }).innerText()).toContain("Identical");

    // The owner searches the population for a loan not drawn and asks for it.
    const drawn = await sampleRows(owner).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-sample")));
    const wanted = ["L00001", "L00002", "L00003", "L00004"].find((k) => !drawn.includes(k))!;
    await owner.getByLabel("Key starts with").fill(wanted);
    await owner.getByRole("button", { name: "Search" }).click();
    const ask = owner.getByRole("form", { name: "Ask for samples" });
    await ask.getByLabel(`Ask for ${wanted}`).check();
    await ask.getByLabel("Why you ask for these samples").fill("largest branch");
    await ask.getByRole("button", { name: "Ask for the chosen samples" }).click();
    await owner.getByText(`${wanted} (version 1, Olive Owner): largest branch`).waitFor();

    // The owner approves all, then rejects one, and sends the version back.
    await bulkDecide(owner, "Approve chosen");
    await poll(() => owner.locator('[data-decision="owner"]', { hasText: "Approved" }).count()).toBe(22);
    const rejected = drawn[0]!;
    await owner.getByRole("button", { name: `Reject sample ${rejected}` }).click();
    await poll(() => owner.locator(`tr[data-sample="${rejected}"] [data-decision="owner"]`).innerText()).toContain(
      "Rejected",
    );
    await owner.locator("summary", { hasText: "Reject…" }).click();
    await owner.getByLabel("Reason for rejecting").fill("Replace the rejected loan and add the one I asked for");
    await owner.getByRole("button", { name: "Reject version" }).click();
    await owner.getByRole("link", { name: /Version 1\s+…?\s*Rejected/ }).waitFor();
    await settle(owner);

    // Version 2 carries the 21 approved samples forward with their lineage.
    await tester.reload();
    await tester.getByRole("button", { name: "Start version 2" }).click();
    await tester.getByRole("link", { name: /Version 2\s+…?\s*Draft/ }).waitFor();
    await poll(() => sampleRows(tester).count()).toBe(21);
    await expect(tester.locator('tr[data-source="carried_forward"]').count()).resolves.toBe(21);
    await expect(tester.locator('tr[data-source="carried_forward"]').first().innerText()).resolves.toContain(
      "carried from version 1, approved by Olive Owner",
    );
    // The owner's sample comes in as a manual sample recommended by the owner.
    await tester.getByRole("button", { name: "Add the 1 requested sample to this draft" }).click();
    await expect(tester.locator(`tr[data-sample="${wanted}"]`).innerText()).resolves.toContain("added by Olive Owner");
    // And one more is drawn, set by the tester with a reason; the carried samples are left out of the draw.
    const again = tester.getByRole("form", { name: "Run the selection" });
    await again.getByLabel("Key column").selectOption("loan_id");
    await again.getByLabel("Set by me, with a reason").check();
    await again.getByLabel("Size", { exact: true }).fill("1");
    await again.getByLabel("Reason for this size").fill("replaces the rejected loan");
    await again.getByRole("button", { name: /Draw/ }).click();
    await poll(() => sampleRows(tester).count()).toBe(23);
    await expect(tester.getByLabel("Population summary").innerText()).resolves.toContain(
      "22 keys already in the version",
    );
    for (const source of ["tester", "manual"]) {
      const row = tester.locator(`tr[data-source="${source}"]`);
      await row.getByRole("button", { name: /^Approve sample/ }).click();
      await poll(() => row.locator('[data-decision="tester"]').innerText()).toContain("Approved");
    }
    await tester.getByRole("button", { name: "Submit for approval" }).click();
    await tester.getByRole("link", { name: /Version 2\s+…?\s*Awaiting approval/ }).waitFor();
    await settle(tester);

    // The owner approves the two new samples and the version; re-performance is identical.
    await owner.goto(`/cycle-reports/${fixture.cycleReportId}/sampling`);
    for (const source of ["tester", "manual"]) {
      const row = owner.locator(`tr[data-source="${source}"]`);
      await row.getByRole("button", { name: /^Approve sample/ }).click();
      await poll(() => row.locator('[data-decision="owner"]').innerText()).toContain("Approved");
    }
    await owner.getByRole("button", { name: "Approve version" }).click();
    await owner.getByRole("link", { name: /Version 2\s+…?\s*Approved/ }).waitFor();
    await owner.getByRole("button", { name: "Re-perform the selection" }).click();
    await poll(() => owner.getByRole("status", { name: "Re-performance verdict" }).innerText()).toContain("Identical");
    await expect(owner.getByRole("table", { name: "Version history" }).innerText()).resolves.toMatch(/Version 2/);

    // The CSV export carries each sample's lineage and how the samples were drawn.
    const href = await owner.getByRole("link", { name: "Export samples (CSV)" }).getAttribute("href");
    const csv = await owner.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv).toContain("# seed ");
    expect(csv).toContain("re-performed");
    expect(csv.split("\r\n").filter((l) => l.includes("carried from version 1, approved by Olive Owner"))).toHaveLength(
      21,
    );
    await settle(owner);

    // The tester completes the phase on the cycle report page.
    await tester.goto(`/cycle-reports/${fixture.cycleReportId}`);
    const phase = tester.getByRole("listitem", { name: "Sample selection" });
    // The samples and the owner's approval prove its activities: they completed themselves, with no button.
    for (const activity of ["Select the samples", "Review the samples with the report owner"]) {
      await phase.locator(`[data-activity="${activity}"]`, { hasText: "Completed" }).waitFor();
      await expect(phase.getByRole("button", { name: `Complete ${activity}` }).count()).resolves.toBe(0);
    }
    await phase.getByRole("button", { name: "Complete Sample selection" }).click();
    await tester.locator('li[data-phase="sample_selection"][data-status="completed"]').waitFor();
    await settle(tester);
  }, 120_000);
});
