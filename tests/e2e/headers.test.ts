// Headers people read in the planning workspace: a file whose headers loading renamed (two that read alike, one
// with nothing usable) is uploaded and proposed offline; the proposals carry the headers, and wherever the page
// shows or offers a column, the header stands beside the loaded name.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { createStartedCycleReport } from "../support/cycle-report-fixture";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });

const csv =
  ["Loan ID,Loan-ID,#,status", "L-001,A-17,x,active", "L-002,A-18,y,closed", "L-003,A-19,x,active"].join("\n") + "\n";

let browser: Browser;
let cycleReportId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  const suffix = randomUUID().slice(0, 8);
  cycleReportId = await db.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: `Headers report ${suffix}`,
      regulation: "Test regulation",
      cycleName: `Headers cycle ${suffix}`,
      period: ["2027-10-01", "2027-12-31"],
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

const settle = (page: Page) => page.waitForLoadState("networkidle");
const attributeRow = (page: Page, name: string) => page.locator(`tbody[data-attribute="${name}"]`);

describe("renamed headers in the planning workspace", () => {
  it("shows each header beside its column in the schema, the attribute's source and the mapping's picker", async () => {
    const page = await newPage(browser);
    await page.goto(`/cycle-reports/${cycleReportId}/planning`);
    await login(page, "tester@example.com", "demo-password");
    await page.getByRole("heading", { level: 1, name: "Planning", exact: true }).waitFor();
    await settle(page);

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

    // The schema: the loaded name, and the header where it differs.
    await source.getByText("Schema (4 columns)").click();
    const rows = source.getByRole("table", { name: "Columns of Loans" }).locator("tbody tr");
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector("td")!.textContent))).resolves.toEqual([
      "loan_id(Loan ID)",
      "loan_id_2(Loan-ID)",
      "column_3(#)",
      "status",
    ]);

    // Proposed offline: named after the headers.
    await page.getByRole("button", { name: "Generate with AI" }).click();
    await expect
      .poll(() => page.locator("[data-job-status]").getAttribute("data-job-status"), { timeout: 30_000 })
      .toBe("completed");
    await expect
      .poll(() => page.locator("tbody[data-attribute]").evaluateAll((b) => b.map((r) => r.dataset.attribute).sort()))
      .toEqual(["Column 3 (#)", "Loan ID", "Loan-ID (2nd)", "status"]);
    // The attribute's source: its column, with the header beside it.
    const second = attributeRow(page, "Loan-ID (2nd)").locator("tr").first().locator("td").nth(3);
    await expect(second.innerText()).resolves.toMatch(/^Loans\nloan_id_2 ?\(Loan-ID\)$/);
    await settle(page);

    // The mapping's picker offers the columns with their headers, the attribute's own chosen.
    await page.getByRole("link", { name: "Add mapping to Loan-ID (2nd)" }).click();
    const picker = page
      .getByRole("form", { name: "Add a PDE mapping to Loan-ID (2nd)" })
      .getByLabel("Source table and column");
    await picker.waitFor();
    await expect(picker.locator("option").allInnerTexts()).resolves.toEqual([
      "No source column",
      "Loans · loan_id (Loan ID)",
      "Loans · loan_id_2 (Loan-ID)",
      "Loans · column_3 (#)",
      "Loans · status",
    ]);
    await expect(picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.textContent)).resolves.toBe(
      "Loans · loan_id_2 (Loan-ID)",
    );
    await page.close();
  });
});
