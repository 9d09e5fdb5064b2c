// The version kit's decision form and the cycle report's transitions with a reason say a wrong field beside it
// (aria-invalid, aria-describedby) before anything is sent; their actions read the same schemas, so a form posted
// past the browser's check gets the same field errors back, and nothing changes.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStartedCycleReport } from "../support/cycle-report-fixture";
import { connect } from "../support/db";
import { launchBrowser, login, newPage } from "./support/browser";
import { craftedPost, expectErrorBeside, expectFieldErrors, watchPosts } from "./support/crafted-post";

let browser: Browser;
let sql: postgres.Sql;
let cycleReportId: number;
let planningPhaseId: number;
let versionId: string;
let attributeId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  sql = connect();
  const suffix = randomBytes(4).toString("hex");
  await sql.begin(async (tx) => {
    const made = await createStartedCycleReport(tx, {
      reportName: `Decisions ${suffix}`,
      regulation: "Reg D",
      cycleName: `Cycle ${suffix}`,
      period: ["2032-01-01", "2032-03-31"],
      ownerEmail: "owner@example.com",
      testerEmail: "tester@example.com",
    });
    cycleReportId = made.cycleReportId;
    planningPhaseId = Number(made.phases.planning);
    const [v] = await tx<[{ id: string }]>`select id from public.create_version(${planningPhaseId})`;
    versionId = v.id;
    const [a] = await tx<[{ id: string }]>`
      insert into public.planning_attributes (version_id, name, data_type) values (${versionId}, 'Balance', 'string')
      returning id`;
    attributeId = a.id;
  });
});

afterAll(async () => {
  await browser?.close();
  await sql?.end();
});

async function open(path: string, email: string): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(10_000);
  await page.goto(path);
  await login(page, email, "demo-password");
  return page;
}

describe("a decision's notes", () => {
  it("a request for changes without notes is said beside the notes, sends nothing, and the action says the same", async () => {
    const page = await open(`/cycle-reports/${cycleReportId}/planning`, "tester@example.com");
    const form = page.getByRole("form", { name: "Decision on Balance" });
    await form.waitFor();
    const posted = watchPosts(page);
    await form.getByRole("button", { name: "Request changes Balance" }).click();
    await expectErrorBeside(page, form.getByLabel("Notes on Balance"), "Say in the notes what should change.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);

    const formId = `decide-tester-${attributeId}`;
    expectFieldErrors(
      await craftedPost(page, `/cycle-reports/${cycleReportId}/planning`, "routes/cycle-reports.$id_.planning", {
        intent: "decide",
        form_id: formId,
        version_id: versionId,
        item: "attribute",
        item_id: attributeId,
        side: "tester",
        decision: "request_changes",
        notes: " ",
      }),
      formId,
      { notes: "Say in the notes what should change." },
    );
    const [row] = await sql<[{ tester_decision: string | null }]>`
      select tester_decision from public.planning_attributes where id = ${attributeId}`;
    expect(row.tester_decision).toBeNull();

    // With notes, the decision is recorded.
    await form.getByLabel("Notes on Balance").fill("Name the source column");
    await form.getByRole("button", { name: "Request changes Balance" }).click();
    await expect
      .poll(
        async () =>
          (await sql`select tester_decision from public.planning_attributes where id = ${attributeId}`)[0]!
            .tester_decision,
      )
      .toBe("rejected");
  }, 60_000);
});

describe("a phase skipped by an admin", () => {
  it("without a reason is said beside the reason, sends nothing, and the action says the same", async () => {
    const page = await open(`/cycle-reports/${cycleReportId}`, "admin@example.com");
    await page.getByText("Skip Planning…").click();
    const posted = watchPosts(page);
    const form = page.getByRole("form", { name: "Skip Planning" });
    await form.getByRole("button", { name: "Skip Planning" }).click();
    await expectErrorBeside(page, form.getByLabel("Why skip Planning?"), "Say why the phase is skipped.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);

    const formId = `skip_phase-${planningPhaseId}`;
    expectFieldErrors(
      await craftedPost(page, `/cycle-reports/${cycleReportId}`, "routes/cycle-reports.$id", {
        intent: "skip_phase",
        form_id: formId,
        id: String(planningPhaseId),
        reason: "   ",
      }),
      formId,
      { reason: "Say why the phase is skipped." },
    );
    const [row] = await sql<[{ status: string }]>`
      select status from public.workflow_phases where id = ${planningPhaseId}`;
    expect(row.status).toBe("in_progress");
  }, 60_000);
});

describe("the context of a Generate with AI form", () => {
  const tooLong = "x".repeat(201);
  const message = "The report type is limited to 200 characters.";

  it("a report type over its limit is said beside it, sends nothing, and the actions of planning and profiling say the same", async () => {
    const page = await open(`/cycle-reports/${cycleReportId}/planning`, "tester@example.com");
    const form = page.getByRole("form", { name: "Generate attributes with AI" });
    await form.getByText("Context for the AI (optional)").click();
    const reportType = form.getByLabel("Report type");
    // The field's maxlength keeps a typist within the limit; a script or an old page need not be.
    await reportType.evaluate((input) => input.removeAttribute("maxlength"));
    await reportType.fill(tooLong);
    const posted = watchPosts(page);
    await form.getByRole("button", { name: "Generate with AI" }).click();
    await expectErrorBeside(page, reportType, message);
    expect(posted()).toBe(false);

    expectFieldErrors(
      await craftedPost(page, `/cycle-reports/${cycleReportId}/planning`, "routes/cycle-reports.$id_.planning", {
        intent: "generate",
        form_id: "generate-attributes",
        version_id: versionId,
        report_type: tooLong,
      }),
      "generate-attributes",
      { report_type: message },
    );
    expectFieldErrors(
      await craftedPost(page, `/cycle-reports/${cycleReportId}/profiling`, "routes/cycle-reports.$id_.profiling", {
        intent: "generate_rules",
        form_id: "generate-rules",
        version_id: versionId,
        report_type: tooLong,
      }),
      "generate-rules",
      { report_type: message },
    );
    const [jobs] = await sql<[{ count: number }]>`
      select count(*)::integer as count from public.background_jobs where version_id = ${versionId}`;
    expect(jobs.count).toBe(0);
  }, 60_000);
});
