// The observations and test report journey in the browser: the tester proposes an observation from the failed
// tests and raises it; the report owner writes the response, responds, plans and asks for validation; the tester
// writes the validation evidence, validates and closes it; then the tester generates the test report, writes the
// conclusion, signs and submits it, and the report owner approves it, which completes the cycle report; the owner
// downloads the approved report as a PDF and as an Excel workbook, and finds it done in the cycle view.
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import readXlsxFile from "read-excel-file/node";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createObservationFixture, tickManual, type ObservationFixture } from "../support/observation-fixture";
import { pdfPages } from "../support/pdf-text";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const password = "demo-password";

let browser: Browser;
let fixture: ObservationFixture;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([
    launchBrowser(),
    createObservationFixture(db, {
      rows: 20,
      samples: 4,
      attributes: [
        ["Loan id", "loan_id", "internal"],
        ["Amount", "amount", "internal"],
      ],
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db.end();
});

async function open(email: string, phaseLabel: string, heading: string): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(10_000);
  await page.goto(`/cycle-reports/${fixture.cycleReportId}`);
  await login(page, email, password);
  await page.getByRole("link", { name: `${phaseLabel}: open the workspace` }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  return page;
}

async function move(page: Page, label: string, comment: string) {
  const form = page.getByRole("form", { name: label, exact: true });
  await form.getByRole("textbox").fill(comment);
  await form.getByRole("button", { name: label }).click();
}

async function save(page: Page, label: string, value: string) {
  const form = page.getByRole("form", { name: `Edit ${label.toLowerCase()}` });
  await form.getByRole("textbox").fill(value);
  await form.getByRole("button", { name: `Save ${label.toLowerCase()}` }).click();
  await page
    .getByRole("form", { name: `Edit ${label.toLowerCase()}` })
    .getByRole("textbox")
    .waitFor();
}

const status = (page: Page) => page.getByTestId("observation-status").innerText();
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

describe("observations and the test report in the browser", () => {
  it("from a failed test to a closed observation, and from the report's generation to its approval", async () => {
    const tester = await open("tester@example.com", "Observation management", "Observations");
    await tester.getByRole("button", { name: "Propose from failed tests and anomalies" }).click();
    await tester.getByRole("heading", { level: 2, name: "Amount: 2 failed tests" }).waitFor();
    await expect(tester.getByRole("region", { name: "Evidence" }).innerText()).resolves.toContain(
      "Amount differs from the statement",
    );
    await move(tester, "Raise", "Two loans misstated");
    await poll(() => status(tester)).toBe("open");

    const owner = await open("owner@example.com", "Observation management", "Observations");
    await owner.getByRole("link", { name: /Amount: 2 failed tests/ }).click();
    await expect(owner.getByRole("form", { name: "Raise" }).count()).resolves.toBe(0);
    await save(owner, "Owner response", "Agreed: a cut-off error");
    await move(owner, "Respond", "See the response");
    await poll(() => status(owner)).toBe("responded");
    await save(owner, "Remediation plan", "Restate the cut-off");
    await move(owner, "Start remediation", "Plan agreed");
    await poll(() => status(owner)).toBe("remediating");
    await move(owner, "Ask for validation", "Restated");
    await poll(() => status(owner)).toBe("pending validation");

    await tester.reload();
    await save(tester, "Validation evidence", "Re-tested both samples: they match");
    await move(tester, "Validate", "Checked");
    await poll(() => status(tester)).toBe("validated");
    await move(tester, "Close", "Fixed");
    await poll(() => status(tester)).toBe("closed");
    await expect(tester.getByRole("region", { name: "History" }).innerText()).resolves.toContain("closed by");

    // Phase 8 is complete once every observation is answered; the test report starts.
    await db`select public.complete_phase(${fixture.phases.observation_mgmt!})`;
    await db`select public.start_phase(${fixture.phases.test_report!})`;
    await tickManual(db, fixture.phases.test_report!);

    await tester.goto(`/cycle-reports/${fixture.cycleReportId}`);
    await tester.getByRole("link", { name: "Test report: open the workspace" }).click();
    await tester.getByRole("heading", { level: 1, name: "Test report" }).waitFor();
    await tester.getByRole("button", { name: "Create the first version" }).click();
    const report = tester.getByRole("article", { name: "The test report" });
    await report.waitFor();
    await expect(report.getByRole("table", { name: "Test results per attribute" }).innerText()).resolves.toMatch(
      /Amount\s+4\s+2\s+2/,
    );
    await report.getByLabel("The tester's conclusion").fill("Fairly stated; the Amount finding is remediated.");
    await report.getByRole("button", { name: "Save conclusion" }).click();
    await report.getByRole("button", { name: "Sign as preparer" }).click();
    await report.getByText("Signed by the preparer").waitFor();
    await report.getByRole("button", { name: "Submit for approval" }).click();
    await poll(() => tester.getByTestId("report-status").innerText()).toBe("pending approval");

    await owner.goto(`/cycle-reports/${fixture.cycleReportId}`);
    await owner.getByRole("link", { name: "Test report: open the workspace" }).click();
    await owner.getByRole("button", { name: "Approve version" }).click();
    await poll(() => owner.getByTestId("report-status").innerText()).toBe("approved");
    const [cycleReport] = await db<
      [{ status: string }]
    >`select status from public.cycle_reports where id = ${fixture.cycleReportId}`;
    expect(cycleReport.status).toBe("completed");

    // The approved report is downloaded as a PDF and as a workbook, each stamped with the version's checksum.
    const [frozen] = await db<[{ checksum: string }]>`
      select r.content_checksum as checksum from public.test_reports r join public.artifact_versions v on v.id = r.version_id
       where v.cycle_report_id = ${fixture.cycleReportId} and v.version_status = 'approved'`;
    const downloaded = async (label: string) => {
      const [file] = await Promise.all([
        owner.waitForEvent("download"),
        owner.getByRole("link", { name: label }).click(),
      ]);
      return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
    };
    const pdf = await downloaded("Download PDF");
    expect(pdf.name).toMatch(/^test-report-.*-version-1\.pdf$/);
    const pages = pdfPages(pdf.bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((p) => p.includes(`content SHA-256 ${frozen.checksum}`))).toBe(true);
    expect(pages[0]).toContain("Fairly stated; the Amount finding is remediated.");
    const workbook = await downloaded("Download Excel");
    expect(workbook.name).toMatch(/^test-report-.*-version-1\.xlsx$/);
    const sheets = await readXlsxFile(workbook.bytes);
    expect(sheets.map((s) => s.sheet)).toEqual([
      "Summary",
      "Scope",
      "Rules and results",
      "Samples",
      "Test cases",
      "Observations",
    ]);
    expect(sheets.every((s) => String(s.data[1]![0]).endsWith(`content SHA-256 ${frozen.checksum}`))).toBe(true);

    // The owner's cycle view on the home page shows the report done, with its failed tests and the observation.
    const [where] = await db<[{ cycle_id: string; report_name: string }]>`
      select cr.cycle_id, r.name as report_name from public.cycle_reports cr join public.reports r on r.id = cr.report_id
       where cr.id = ${fixture.cycleReportId}`;
    await owner.goto(`/?cycle=${where.cycle_id}`);
    const view = owner.getByRole("region", { name: /^Cycle view/ });
    const row = view.getByRole("listitem", { name: where.report_name });
    await expect(row.getByTestId("cycle-view-phases").innerText()).resolves.toBe("9 of 9 phases done · completed");
    await expect(row.innerText()).resolves.toContain("2 failed");
    await expect(row.getByTestId("observations-medium").innerText()).resolves.toBe("1 (1 validated or closed)");
    await view.getByLabel("Tester").selectOption({ label: "Theo Tester" });
    await view.getByRole("button", { name: "Show" }).click();
    await owner.waitForURL(/tester=/);
    await expect(view.getByTestId("cycle-view-totals").innerText()).resolves.toMatch(/^1 cycle report · /);
  }, 120_000);
});
