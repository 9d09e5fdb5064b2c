import { randomUUID } from "node:crypto";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { generationContext } from "./support/generation-context";
import { createStartedCycleReport } from "../support/cycle-report-fixture";

// Two connections: one may hold a lock while the other builds the fixture.
const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const seedPassword = "demo-password";

const csv =
  [
    "loan_id,borrower_email,principal_amount,currency,start_date,status",
    "L-001,ann@example.com,1000.50,EUR,2026-01-15,active",
    "L-002,bob@example.com,250.00,USD,2026-02-01,closed",
    "L-003,cyd@example.com,75.25,EUR,2026-03-10,active",
  ].join("\n") + "\n";

// What the offline provider proposes for the file, by the rules of docs/llm.md: one attribute per column named
// after it (A1), the type from the inferred column type (A2; CSV text stays text) with the longest value as max
// length (A3), every column mandatory as none has blanks (A4), loan_id the key (A5), CDE by key or name word (A6),
// the class from the name patterns, else internal (A7), and confidence 0.8 for the key, 0.7 where a name pattern
// decided the class, else 0.5 (A10). The table lists them by name, as the workspace sorts them.
const expected = [
  { name: "borrower_email", type: "text(15)", flags: ["M"], classification: "confidential", confidence: 0.7 },
  { name: "currency", type: "text(3)", flags: ["CDE", "M"], classification: "public", confidence: 0.7 },
  { name: "loan_id", type: "text(5)", flags: ["CDE", "PK", "M"], classification: "internal", confidence: 0.8 },
  { name: "principal_amount", type: "decimal", flags: ["CDE", "M"], classification: "internal", confidence: 0.5 },
  { name: "start_date", type: "date", flags: ["CDE", "M"], classification: "internal", confidence: 0.5 },
  { name: "status", type: "text(6)", flags: ["M"], classification: "internal", confidence: 0.5 },
];

let browser: Browser;
let cycleReportId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  // A cycle report of this test's own (tester@ assigned, owned by owner@) with planning started and an empty
  // first draft, built as the database operator; the file is uploaded through the workspace.
  const suffix = randomUUID().slice(0, 8);
  cycleReportId = await db.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: `Generation report ${suffix}`,
      regulation: "Test regulation",
      cycleName: `Generation cycle ${suffix}`,
      period: ["2027-07-01", "2027-09-30"],
      ownerEmail: "owner@example.com",
      testerEmail: "tester@example.com",
    });
    await tx`select public.create_version(${phases.planning!})`;
    return cycleReportId;
  });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

// Route discovery fetches in the background; leaving the page under them would count as a failed request.
const settle = (page: Page) => page.waitForLoadState("networkidle");
const workspace = () => `/cycle-reports/${cycleReportId}/planning`;
const attributeRow = (page: Page, name: string) => page.locator(`tbody[data-attribute="${name}"]`);
const jobStatus = (page: Page) => page.locator("[data-job-status]");
const cell = (page: Page, name: string, index: number) =>
  attributeRow(page, name).locator("tr").first().locator("td").nth(index);

async function uploadCsv(page: Page) {
  await page.getByText("Upload a CSV file", { exact: true }).click();
  const upload = page.getByRole("form", { name: "Upload a CSV file" });
  await upload.getByLabel("Name").fill("Loans");
  await upload
    .getByLabel("CSV file")
    .setInputFiles({ name: "loans.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await upload.getByRole("button", { name: "Upload" }).click();
  const source = page.locator('li[data-source="Loans"]');
  await source.waitFor();
  await expect(source.getByTestId("source-state").innerText()).resolves.toBe("Ready");
  await settle(page);
}

describe("attributes generated offline", () => {
  it("tester@ generates attributes, sees the proposals and decides them", async () => {
    const page = await newPage(browser);
    await page.goto(workspace());
    await login(page, "tester@example.com", seedPassword);
    await page.getByRole("heading", { level: 1, name: "Planning", exact: true }).waitFor();
    await settle(page);
    await uploadCsv(page);
    // The optional context for the model goes with the request.
    const generate = page.getByRole("form", { name: "Generate attributes with AI" });
    await generate.getByText("Context for the AI (optional)").click();
    await generate.getByLabel("Report type").fill("Loan-level regulatory return");
    await generate.getByLabel("Regulatory context").fill("Report every loan open at quarter end.\nAmounts in EUR.");

    // The offline provider answers at once; holding the source row keeps the worker from storing its proposals
    // (their foreign key waits on the row), so the running job can be watched before it ends.
    const hold = await db.reserve();
    try {
      await hold`begin`;
      await hold`select 1 from public.planning_data_sources where name = 'Loans' and version_id in
        (select id from public.artifact_versions where cycle_report_id = ${cycleReportId}) for update`;
      await page.getByRole("button", { name: "Generate with AI" }).click();
      const progress = page.getByRole("progressbar", { name: "Generation progress" });
      await progress.waitFor();
      await expect(jobStatus(page).innerText()).resolves.toBe("Generating attributes…");
    } finally {
      await hold`rollback`;
      hold.release();
    }
    // The page polls the job until it ends; then the summary says what was proposed, by whom and at what cost.
    await expect.poll(() => jobStatus(page).getAttribute("data-job-status"), { timeout: 30_000 }).toBe("completed");
    await expect(jobStatus(page).innerText()).resolves.toBe(
      "Proposed 6 attributes and 6 PDE mappings below · heuristic (rules-v1) · 1 call, 0 tokens, $0.00",
    );

    // The job was asked with the context, and the provider was shown it.
    await expect(generationContext(db, new URL(page.url()).searchParams.get("job")!)).resolves.toEqual({
      report_type: "Loan-level regulatory return",
      regulatory_context: "Report every loan open at quarter end.\nAmounts in EUR.",
      shown: true,
    });

    await expect.poll(() => page.locator("tbody[data-attribute]").count()).toBe(expected.length);
    await expect(
      page.locator("tbody[data-attribute]").evaluateAll((rows) => rows.map((r) => r.dataset.attribute)),
    ).resolves.toEqual(expected.map((a) => a.name));
    for (const attribute of expected) {
      const row = attributeRow(page, attribute.name);
      await expect(cell(page, attribute.name, 0).locator("p").nth(1).innerText()).resolves.toBe(attribute.type);
      await expect(row.locator("[data-proposed-by]").getAttribute("data-proposed-by")).resolves.toBe("heuristic");
      await expect(row.locator("[data-proposed-by] p").first().innerText()).resolves.toBe(
        `Proposed by heuristic, confidence ${attribute.confidence}`,
      );
      await expect(cell(page, attribute.name, 1).innerText()).resolves.toBe(attribute.flags.join("\n"));
      await expect(cell(page, attribute.name, 2).innerText()).resolves.toBe(attribute.classification);
      // Each with its one direct mapping to the column, and nothing decided yet.
      await expect(cell(page, attribute.name, 4).innerText()).resolves.toBe("1");
      await expect(cell(page, attribute.name, 5).innerText()).resolves.toMatch(/^○\s*Pending/);
    }
    // The source, six attributes and six mappings.
    await expect(page.getByRole("region", { name: "Selected version" }).innerText()).resolves.toContain(
      "13 of 13 items still need a decision",
    );

    await page.getByRole("button", { name: "Approve loan_id" }).click();
    await expect.poll(() => cell(page, "loan_id", 5).innerText()).toMatch(/Approved\s+by Theo Tester/);
    await settle(page);
    await page.getByLabel("Notes on status").fill("Not reported; the regulator derives it");
    await page.getByRole("button", { name: "Reject status" }).click();
    await expect.poll(() => cell(page, "status", 5).innerText()).toContain("Not reported; the regulator derives it");
    await settle(page);

    // The decisions are stored: a fresh load shows them, and the other proposals still wait for one.
    await page.reload();
    await attributeRow(page, "loan_id").waitFor();
    await expect(cell(page, "loan_id", 5).innerText()).resolves.toMatch(/^✓\s*Approved\s+by Theo Tester/);
    await expect(cell(page, "status", 5).innerText()).resolves.toMatch(
      /^✕\s*Rejected\s+by Theo Tester\s+Not reported; the regulator derives it/,
    );
    for (const name of ["borrower_email", "currency", "principal_amount", "start_date"]) {
      await expect(cell(page, name, 5).innerText()).resolves.toMatch(/^○\s*Pending/);
    }
    await settle(page);
  }, 120_000);
});
