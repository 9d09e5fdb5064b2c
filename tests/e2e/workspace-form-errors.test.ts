// The workspaces' forms check one schema in the browser and on the server: a wrong field is said beside it
// (aria-invalid, aria-describedby naming the error) before anything is sent, and the server, sent the same
// mistake without JavaScript, answers the same error beside the same field, with no banner: the banner is for
// the database's refusals.
import { randomBytes } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStartedCycleReport } from "../support/cycle-report-fixture";
import { connect } from "../support/db";
import { createDataRequestCycleReport } from "../support/request-fixture";
import { createSamplingFixture } from "../support/sampling-fixture";
import { createScopingCycleReport } from "../support/scoping-fixture";
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

/** A cycle report with the planning phase started and its first version, a draft. */
async function planningDraft(): Promise<number> {
  const suffix = randomBytes(4).toString("hex");
  return sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: `Sources ${suffix}`,
      regulation: "Reg S",
      cycleName: `Cycle ${suffix}`,
      period: ["2031-01-01", "2031-03-31"],
      ownerEmail: "owner@example.com",
      testerEmail: "tester@example.com",
    });
    await tx`select public.create_version(${phases.planning!})`;
    return cycleReportId;
  });
}

const sourcesOf = async (cycleReportId: number) => {
  const [{ count }] = await sql<[{ count: number }]>`
    select count(*)::int as count from public.planning_data_sources s
      join public.artifact_versions v on v.id = s.version_id
      join public.workflow_phases p on p.id = v.phase_id
     where p.cycle_report_id = ${cycleReportId}`;
  return count;
};

async function fillDatabaseSource(form: Locator, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole("button", { name: "Add database source" }).click();
}

const wrongConnection = {
  Name: "Ledger",
  Host: " ",
  Port: "99999",
  Database: "postgres",
  Table: "reports",
  User: "postgres",
  Password: "secret",
};

describe("the planning data source forms", () => {
  it("a database source with a wrong port is said beside the field in the browser, and nothing is sent", async () => {
    const cycleReportId = await planningDraft();
    const page = await signedIn("tester@example.com", `/cycle-reports/${cycleReportId}/planning`);
    await page.getByText("Add a database source", { exact: true }).click();
    const form = page.getByRole("form", { name: "Add a database source" });
    const posts = postsOf(page);
    await fillDatabaseSource(form, wrongConnection);
    await expect(errorBeside(page, form.getByLabel("Host", { exact: true }))).resolves.toBe("Enter the host.");
    await expect(errorBeside(page, form.getByLabel("Port"))).resolves.toBe(
      "Give the port as a number between 1 and 65535.",
    );
    // The first wrong field has the focus; the right ones are not marked.
    await expect(
      form.getByLabel("Host", { exact: true }).evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    expect(await form.getByLabel("Table").getAttribute("aria-invalid")).toBeNull();
    expect(posts).toEqual([]);
    expect(await banners(page)).toBe(0);

    // An upload without a file is said beside the file field, before anything is sent.
    await page.getByText("Upload a CSV file", { exact: true }).click();
    const upload = page.getByRole("form", { name: "Upload a CSV file" });
    await upload.getByRole("button", { name: "Upload" }).click();
    await expect(errorBeside(page, upload.getByLabel("CSV file"))).resolves.toBe("Choose a CSV file to upload.");
    expect(posts).toEqual([]);
    await page.waitForLoadState("networkidle");
  }, 60_000);

  it("the server checks the same schema: without JavaScript the errors come back beside their fields", async () => {
    const cycleReportId = await planningDraft();
    const page = await signedIn("tester@example.com", `/cycle-reports/${cycleReportId}/planning`, false);
    await page.getByText("Add a database source", { exact: true }).click();
    await fillDatabaseSource(page.getByRole("form", { name: "Add a database source" }), wrongConnection);
    await page.waitForLoadState();
    const form = page.getByRole("form", { name: "Add a database source" });
    // Open again, with what was typed said wrong beside its field, and no banner.
    await expect(errorBeside(page, form.getByLabel("Host", { exact: true }))).resolves.toBe("Enter the host.");
    await expect(errorBeside(page, form.getByLabel("Port"))).resolves.toBe(
      "Give the port as a number between 1 and 65535.",
    );
    expect(await banners(page)).toBe(0);
    expect(await sourcesOf(cycleReportId)).toBe(0);

    // An upload without a file comes back beside the file field too.
    await page.getByText("Upload a CSV file", { exact: true }).click();
    await page.getByRole("form", { name: "Upload a CSV file" }).getByRole("button", { name: "Upload" }).click();
    await page.waitForLoadState();
    const upload = page.getByRole("form", { name: "Upload a CSV file" });
    await expect(errorBeside(page, upload.getByLabel("CSV file"))).resolves.toBe("Choose a CSV file to upload.");
    expect(await banners(page)).toBe(0);
    expect(await sourcesOf(cycleReportId)).toBe(0);
  }, 60_000);
});

describe("the scoping forms", () => {
  /** A scoping draft of its own, as the demo tester sees it (with JavaScript or without). */
  async function scopingDraft(javaScriptEnabled: boolean) {
    const cr = await createScopingCycleReport(sql, {
      testerEmail: "tester@example.com",
      ownerEmail: "owner@example.com",
    });
    await sql`select public.create_version(${cr.phases.scoping!})`;
    const page = await signedIn("tester@example.com", `/cycle-reports/${cr.cycleReportId}/scoping`, javaScriptEnabled);
    return { cr, page };
  }
  const noteDecision = (cycleReportId: number) => sql<{ in_scope: boolean; rationale: string | null }[]>`
    select d.in_scope, d.rationale from public.scoping_decisions d
      join public.artifact_versions v on v.id = d.version_id
      join public.workflow_phases p on p.id = v.phase_id
      join public.planning_attributes a on a.id = d.attribute_id
     where p.cycle_report_id = ${cycleReportId} and a.name = 'Note'`;

  it("an attribute left out of scope without a rationale is said beside the rationale, and nothing is sent", async () => {
    const { cr, page } = await scopingDraft(true);
    const scope = page.getByRole("form", { name: "Scope of Note" });
    const posts = postsOf(page);
    await scope.getByLabel("In scope").uncheck();
    await scope.getByLabel("Rationale for Note").fill("  ");
    await scope.getByRole("button", { name: "Save scope" }).click();
    await expect(errorBeside(page, scope.getByLabel("Rationale for Note"))).resolves.toBe(
      "An attribute left out of scope needs a rationale: say why it is not tested.",
    );
    expect(await scope.getByLabel("Risk of Note").getAttribute("aria-invalid")).toBeNull();
    expect(posts).toEqual([]);
    expect(await banners(page)).toBe(0);
    await expect(noteDecision(cr.cycleReportId)).resolves.toEqual([{ in_scope: true, rationale: null }]);
    await page.waitForLoadState("networkidle");
  }, 60_000);

  it("without JavaScript the server says the same beside the field, not in the banner", async () => {
    const { cr, page } = await scopingDraft(false);
    const before = await noteDecision(cr.cycleReportId);
    const scope = page.getByRole("form", { name: "Scope of Note" });
    await scope.getByLabel("In scope").uncheck();
    await scope.getByRole("button", { name: "Save scope" }).click();
    await page.waitForLoadState();
    const again = page.getByRole("form", { name: "Scope of Note" });
    await expect(errorBeside(page, again.getByLabel("Rationale for Note"))).resolves.toBe(
      "An attribute left out of scope needs a rationale: say why it is not tested.",
    );
    expect(await banners(page)).toBe(0);
    await expect(noteDecision(cr.cycleReportId)).resolves.toEqual(before);
  }, 60_000);
});

describe("the request forms", () => {
  async function requestsOf(cycleReportId: number) {
    const [{ count }] = await sql<[{ count: number }]>`
      select count(*)::int as count from public.requests r
        join public.workflow_phases p on p.id = r.phase_id
       where p.cycle_report_id = ${cycleReportId}`;
    return count;
  }
  const newRequests = async (javaScriptEnabled: boolean) => {
    const f = await createDataRequestCycleReport(sql, {
      testerEmail: "tester@example.com",
      ownerEmail: "owner@example.com",
      attributes: ["Loan id", "Amount"],
    });
    const page = await signedIn(
      "tester@example.com",
      `/cycle-reports/${f.cycleReportId}/requests/data_request`,
      javaScriptEnabled,
    );
    return { f, page, form: page.getByRole("form", { name: "New requests" }) };
  };

  it("new requests without an attribute or a provider are said beside their fields, and nothing is sent", async () => {
    const { f, page, form } = await newRequests(true);
    const posts = postsOf(page);
    await form.getByLabel("Due date").fill("2030-02-15");
    await form.getByRole("button", { name: "Save as drafts" }).click();
    await expect(errorBeside(page, form.getByLabel("Loan id"))).resolves.toBe("Choose at least one attribute.");
    await expect(errorBeside(page, form.getByLabel("Data provider"))).resolves.toBe(
      "Choose the data provider who answers.",
    );
    expect(await form.getByLabel("Due date").getAttribute("aria-invalid")).toBeNull();
    expect(posts).toEqual([]);
    expect(await banners(page)).toBe(0);
    expect(await requestsOf(f.cycleReportId)).toBe(0);
    await page.waitForLoadState("networkidle");
  }, 60_000);

  it("without JavaScript the server says the same beside the fields, not in the banner", async () => {
    const { f, page, form } = await newRequests(false);
    await form.getByLabel("Amount").check();
    await form.getByRole("button", { name: "Save as drafts" }).click();
    await page.waitForLoadState();
    const again = page.getByRole("form", { name: "New requests" });
    await expect(errorBeside(page, again.getByLabel("Data provider"))).resolves.toBe(
      "Choose the data provider who answers.",
    );
    await expect(errorBeside(page, again.getByLabel("Due date"))).resolves.toBe("Choose a due date.");
    expect(await again.getByLabel("Loan id").getAttribute("aria-invalid")).toBeNull();
    expect(await banners(page)).toBe(0);
    expect(await requestsOf(f.cycleReportId)).toBe(0);
  }, 60_000);
});

describe("the sampling forms", () => {
  async function samplingDraft(javaScriptEnabled: boolean) {
    const fixture = await createSamplingFixture(sql, { rows: 50 });
    await sql`select public.create_version(${fixture.phaseId})`;
    const page = await signedIn(
      "tester@example.com",
      `/cycle-reports/${fixture.cycleReportId}/sampling`,
      javaScriptEnabled,
    );
    return { fixture, page, run: page.getByRole("form", { name: "Run the selection" }) };
  }
  const samplesOf = async (phaseId: number) => {
    const [{ count }] = await sql<[{ count: number }]>`
      select count(*)::int as count from public.sample_decisions d
        join public.artifact_versions v on v.id = d.version_id
       where v.phase_id = ${phaseId}`;
    return count;
  };

  it("a size set by hand but not given is said beside the size, and nothing is sent", async () => {
    const { fixture, page, run } = await samplingDraft(true);
    const posts = postsOf(page);
    await run.getByLabel("Key column").selectOption("loan_id");
    await run.getByLabel("Set by me, with a reason").check();
    await run.getByLabel("Size", { exact: true }).fill("two");
    await run.getByRole("button", { name: "Draw the samples" }).click();
    await expect(errorBeside(page, run.getByLabel("Size", { exact: true }))).resolves.toBe(
      "Set the sample size (a whole number), or use the calculator.",
    );
    expect(await run.getByLabel("Reason for this size").getAttribute("aria-invalid")).toBeNull();
    expect(posts).toEqual([]);
    expect(await banners(page)).toBe(0);

    expect(await samplesOf(fixture.phaseId)).toBe(0);
    await page.waitForLoadState("networkidle");
  }, 60_000);

  it("without JavaScript the server says the same beside the fields, not in the banner", async () => {
    const { fixture, page, run } = await samplingDraft(false);
    await run.getByLabel("Key column").selectOption("loan_id");
    await run.getByLabel("Confidence (%)").fill("150");
    await run.getByRole("button", { name: "Draw the samples" }).click();
    await page.waitForLoadState();
    const again = page.getByRole("form", { name: "Run the selection" });
    await expect(errorBeside(page, again.getByLabel("Confidence (%)"))).resolves.toBe(
      "The confidence level is below 100%.",
    );
    expect(await banners(page)).toBe(0);
    expect(await samplesOf(fixture.phaseId)).toBe(0);
  }, 60_000);
});
