import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
const seedPassword = "demo-password";
const seedTesterId = "00000000-0000-4000-a000-000000000002";
const seedOwnerId = "00000000-0000-4000-a000-000000000004";

const csv = ["account_id,balance,currency", "A-1,100.50,EUR", "A-2,-20.00,USD", "A-3,0,EUR"].join("\n") + "\n";

let browser: Browser;
let cycleReportId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  // A cycle report of this test's own (tester@ assigned, owned by owner@), so the demo data stays untouched.
  const suffix = randomUUID().slice(0, 8);
  const [row] = await db<{ id: string }[]>`
    with r as (
      insert into public.reports (name, regulation, owner_id)
      values (${`Planning report ${suffix}`}, 'Test regulation', ${seedOwnerId}) returning id
    ), c as (
      insert into public.test_cycles (name, period_start, period_end, status)
      values (${`Planning cycle ${suffix}`}, '2027-04-01', '2027-06-30', 'active') returning id
    )
    insert into public.cycle_reports (cycle_id, report_id) select c.id, r.id from c, r returning id`;
  cycleReportId = Number(row!.id);
  await db`insert into public.cycle_report_testers (cycle_report_id, tester_id) values (${cycleReportId}, ${seedTesterId})`;
});

afterAll(async () => {
  await browser?.close();
  await db.end();
  rmSync(scratch, { recursive: true, force: true });
});

// A file one byte over the default 50 MB upload limit, on disk, so the browser reads it as a user's file.
const scratch = mkdtempSync(path.join(tmpdir(), "planning-e2e-"));
const oversizeFile = path.join(scratch, "too-big.csv");
writeFileSync(oversizeFile, Buffer.alloc(50 * 1024 * 1024 + 1, "a"));

// Route discovery fetches in the background; leaving the page under them would count as a failed request.
const settle = (page: Page) => page.waitForLoadState("networkidle");
const workspace = () => `/cycle-reports/${cycleReportId}/planning`;

async function signedIn(email: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`/cycle-reports/${cycleReportId}`);
  await login(page, email, seedPassword);
  await settle(page);
  return page;
}

const attributeRow = (page: Page, name: string) => page.locator(`tbody[data-attribute="${name}"]`);
const versionStatus = (page: Page) =>
  page.getByRole("region", { name: "Selected version" }).getAttribute("data-version-status");

async function addAttribute(page: Page, fields: { name: string; type: string; flags: string[]; column?: string }) {
  const form = page.getByRole("form", { name: "Add an attribute" });
  // The section stays open after an addition.
  if (!(await form.isVisible())) await page.getByText("Add an attribute", { exact: true }).click();
  await form.getByLabel("Attribute name").fill(fields.name);
  await form.getByLabel("Data type").selectOption(fields.type);
  if (fields.column) {
    await form.getByLabel("Data source").selectOption({ label: "Accounts" });
    await form.getByLabel("Source column").fill(fields.column);
  }
  for (const flag of fields.flags) await form.getByLabel(flag).check();
  await form.getByRole("button", { name: "Add attribute" }).click();
  await attributeRow(page, fields.name).waitFor();
}

describe("planning from upload to approval", () => {
  it("tester@ uploads a CSV, adds attributes and a mapping, decides and submits", async () => {
    const page = await signedIn("tester@example.com");
    await page.getByRole("button", { name: "Start Planning" }).click();
    await page.getByRole("button", { name: "Complete Planning" }).waitFor();
    await expect(page.getByRole("link", { name: "Planning workspace" }).getAttribute("href")).resolves.toBe(
      workspace(),
    );
    await settle(page);
    await page.goto(workspace());
    await page.getByRole("heading", { level: 1, name: "Planning", exact: true }).waitFor();

    await page.getByRole("button", { name: "Create the first version" }).click();
    await expect.poll(() => versionStatus(page)).toBe("draft");

    // Upload, streamed with a progress bar; the source then shows its measured schema.
    await page.getByText("Upload a CSV file", { exact: true }).click();
    const upload = page.getByRole("form", { name: "Upload a CSV file" });
    await upload.getByLabel("Name").fill("Accounts");
    await upload
      .getByLabel("CSV file")
      .setInputFiles({ name: "accounts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await upload.getByRole("button", { name: "Upload" }).click();
    const source = page.locator('li[data-source="Accounts"]');
    await source.waitFor();
    await expect(source.getByTestId("source-state").innerText()).resolves.toBe("Ready");
    await source.getByText("Schema (3 columns)").click();
    const columns = source.getByRole("table", { name: "Columns of Accounts" });
    await expect(columns.innerText()).resolves.toMatch(/account_id[\s\S]*balance[\s\S]*currency/);

    // A file over the limit is refused before a byte is sent, in the upload function's words (413 too_large).
    const uploads: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith("/planning/uploads")) uploads.push(request.url());
    });
    await upload.getByLabel("Name").fill("Too big");
    await upload.getByLabel("CSV file").setInputFiles(oversizeFile);
    await upload.getByRole("button", { name: "Upload" }).click();
    const tooLarge = upload.locator('[role="alert"][data-reason="too_large"]');
    await expect(tooLarge.innerText()).resolves.toMatch(/The file is too large[\s\S]*larger than the 50 MB limit/);
    expect(uploads).toEqual([]);
    // A name already taken in the version says so, with the name.
    await upload.getByLabel("Name").fill("Accounts");
    await upload
      .getByLabel("CSV file")
      .setInputFiles({ name: "accounts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await upload.getByRole("button", { name: "Upload" }).click();
    await expect(upload.locator('[role="alert"][data-reason="already_exists"]').innerText()).resolves.toMatch(
      /That name is already taken[\s\S]*The name “Accounts” is already taken in this version; choose another\./,
    );
    await expect(page.locator('li[data-source="Accounts"]').count()).resolves.toBe(1);
    await upload.getByLabel("Name").fill("");

    // A database source given a wrong password is corrected in the draft and tested again on saving.
    const cluster = new URL(requiredEnv("SUPABASE_DB_URL"));
    await page.getByText("Add a database source", { exact: true }).click();
    const dbForm = page.getByRole("form", { name: "Add a database source" });
    for (const [label, value] of Object.entries({
      Name: "Reports table",
      Host: cluster.hostname,
      Port: cluster.port,
      Database: "postgres",
      Schema: "public",
      Table: "reports",
      User: "postgres",
      Password: "not-the-password",
    }))
      await dbForm.getByLabel(label, { exact: true }).fill(value);
    await dbForm.getByRole("button", { name: "Add database source" }).click();
    const dbSource = page.locator('li[data-source="Reports table"]');
    await dbSource.getByRole("button", { name: "Test connection of Reports table" }).click();
    await expect.poll(() => dbSource.getByTestId("source-state").innerText()).toBe("Connection failed");
    await settle(page);
    await dbSource.getByText("Edit", { exact: true }).click();
    const edit = dbSource.getByRole("form", { name: "Edit Reports table" });
    await expect(edit.getByLabel("Host").inputValue()).resolves.toBe(cluster.hostname);
    await edit.getByLabel("New password").fill(cluster.password);
    await edit.getByRole("button", { name: "Save and test" }).click();
    await expect.poll(() => dbSource.getByTestId("source-state").innerText()).toBe("Ready");
    await settle(page);
    // Removing asks first; then the source is gone from the draft.
    await dbSource.getByText("Remove", { exact: true }).click();
    await expect(dbSource.innerText()).resolves.toContain("Remove “Reports table” from the draft?");
    await dbSource.getByRole("button", { name: "Remove Reports table" }).click();
    await expect.poll(() => page.locator('li[data-source="Reports table"]').count()).toBe(0);
    await settle(page);

    await addAttribute(page, {
      name: "Account ID",
      type: "string",
      flags: ["Primary key", "Critical data element (CDE)"],
      column: "account_id",
    });
    await addAttribute(page, { name: "Balance", type: "decimal", flags: ["Mandatory"], column: "balance" });

    // A source attributes read from cannot be removed; the question and the refusal name them.
    await source.getByText("Remove", { exact: true }).click();
    await expect(source.innerText()).resolves.toContain("2 attributes read from it (Account ID, Balance)");
    await source.getByRole("button", { name: "Remove Accounts" }).click();
    await expect(page.locator('[role="alert"][data-reason="still_referenced"]').innerText()).resolves.toContain(
      "Attributes still read from this source (Account ID, Balance)",
    );
    await settle(page);
    await page.goto(workspace());

    // Filtering happens on the server: only the CDE is left.
    await page.getByRole("form", { name: "Filter attributes" }).getByLabel("CDE").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.locator("tbody[data-attribute]").count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("cde")).toBe("1");
    await settle(page);
    await page.goto(workspace());

    await page.getByRole("link", { name: "Add mapping to Account ID" }).click();
    const mappingForm = page.getByRole("form", { name: "Add a PDE mapping to Account ID" });
    await mappingForm.getByLabel("PDE code").fill("GL_ACCT_ID");
    await mappingForm.getByLabel("PDE name").fill("General ledger account");
    // The source table and column are chosen from the version's sources and their recorded columns, not typed;
    // the attribute's own column comes chosen.
    expect(await mappingForm.getByRole("textbox", { name: /Source (table|column)/ }).count()).toBe(0);
    const sourceChoice = mappingForm.getByLabel("Source table and column");
    await expect(sourceChoice.locator("option").allInnerTexts()).resolves.toEqual([
      "No source column",
      "Accounts · account_id",
      "Accounts · balance",
      "Accounts · currency",
    ]);
    await expect(sourceChoice.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.textContent)).resolves.toBe(
      "Accounts · account_id",
    );
    await sourceChoice.selectOption({ label: "Accounts · balance" });
    await mappingForm.getByLabel("Risk level").selectOption("high");
    await mappingForm.getByRole("button", { name: "Add mapping" }).click();
    const mapping = page.locator('li[data-mapping="GL_ACCT_ID"]');
    await mapping.waitFor();
    // high risk 4 + medium criticality 2 + internal 1, derived by the database.
    await expect(mapping.innerText()).resolves.toContain("Risk 7");
    // Shown with the source's name, not its upload table's.
    await expect(mapping.innerText()).resolves.toContain("Accounts · balance");
    await expect(mapping.innerText()).resolves.not.toContain("upload_");

    // Submitting with items undecided is refused by the database, and the page says why.
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect(page.getByRole("alert").innerText()).resolves.toContain("Every item needs a decision first");
    // The page reloads its data after a refused action too; a click under it would abort that.
    await settle(page);

    await page.getByRole("button", { name: "Approve Accounts" }).click();
    await expect.poll(() => source.innerText()).toContain("Approved");
    await page.getByRole("button", { name: "Approve Account ID" }).click();
    await expect.poll(() => attributeRow(page, "Account ID").locator("tr").first().innerText()).toContain("Approved");
    await page.getByLabel("Notes on Balance").fill("Use the closing balance");
    await page.getByRole("button", { name: "Request changes Balance" }).click();
    await expect
      .poll(() => attributeRow(page, "Balance").innerText())
      .toContain("Changes requested: Use the closing balance");
    await page.getByRole("button", { name: "Approve mapping GL_ACCT_ID" }).click();
    await expect.poll(() => mapping.innerText()).toContain("Approved");

    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => versionStatus(page)).toBe("pending_approval");
    await settle(page);
  }, 90_000);

  it("owner@ approves the version", async () => {
    const page = await signedIn("owner@example.com");
    await page.goto(workspace());
    await expect.poll(() => versionStatus(page)).toBe("pending_approval");
    await expect(page.getByRole("button", { name: "Approve Account ID" }).count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Approve version" }).click();
    await expect.poll(() => versionStatus(page)).toBe("approved");
    const history = page.getByRole("table", { name: "Version history" });
    await expect(history.innerText()).resolves.toMatch(/Approved by Olive Owner on \d{4}-\d\d-\d\d/);
    await settle(page);
  });

  it("tester@ completes the planning phase, whose activities the approved version completed", async () => {
    const page = await signedIn("tester@example.com");
    for (const name of [
      "Load the report's attributes",
      "Map attributes to data sources (PDE mappings)",
      "Review the attribute list",
    ]) {
      const activity = page.locator(`li[data-activity="${name}"]`);
      await expect(activity.innerText()).resolves.toMatch(/Completes itself when[\s\S]*Completed/);
      await expect(activity.getByRole("button").count()).resolves.toBe(0);
    }
    await page.getByRole("button", { name: "Complete Planning" }).click();
    const step = page.locator('ol[aria-label^="Phases of"] li[data-phase="planning"]');
    await expect.poll(() => step.getAttribute("data-status")).toBe("completed");
    await settle(page);
  });
});
