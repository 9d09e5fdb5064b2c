// The observations page's and the test report's forms say a wrong field beside it (aria-invalid, aria-describedby)
// before anything is sent, and their actions read the same schemas: a form posted past the browser's check gets the
// same field errors back, and changes nothing. A rejection without its reason is said beside the reason.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../support/auth";
import {
  createObservationFixture,
  createTestReportFixture,
  type ObservationFixture,
  type TestReportFixture,
} from "../support/observation-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { craftedPost, expectErrorBeside, expectFieldErrors, watchPosts } from "./support/crafted-post";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const small = { rows: 10, samples: 2, attributes: [["Amount", "amount", "internal"]] as [string, string, string][] };

let browser: Browser;
let observations: ObservationFixture;
let report: TestReportFixture;
let observationId: string;

beforeAll(async () => {
  [browser, observations, report] = await Promise.all([
    launchBrowser(),
    createObservationFixture(db, small),
    createTestReportFixture(db, small),
  ]);
  const [o] = await db<[{ id: string }]>`
    insert into public.observations (cycle_report_id, title, severity, category)
    values (${observations.cycleReportId}, 'Amounts misstated', 'high', 'accuracy') returning id`;
  observationId = o.id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await db.end();
});

async function open(path: string, email: string, heading: string): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(10_000);
  await page.goto(path);
  await login(page, email, "demo-password");
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  return page;
}

const observationsPath = () => `/cycle-reports/${observations.cycleReportId}/observations`;
const reportPath = () => `/cycle-reports/${report.cycleReportId}/report`;

describe("the observations page's forms", () => {
  it("a new observation without a title, a move without its comment, a malformed due date: each beside its field, nothing sent", async () => {
    const page = await open(`${observationsPath()}?observation=${observationId}`, "tester@example.com", "Observations");
    const posted = watchPosts(page);
    const create = page.getByRole("form", { name: "New observation" });
    await create.getByRole("button", { name: "Record observation" }).click();
    await expectErrorBeside(page, create.getByLabel("Title"), "Give the observation a title.");
    expect(await create.getByLabel("Severity").getAttribute("aria-invalid")).toBeNull();

    const raise = page.getByRole("form", { name: "Raise", exact: true });
    await raise.getByRole("button", { name: "Raise" }).click();
    await expectErrorBeside(page, raise.getByRole("textbox"), "Every move needs a comment.");

    const due = page.getByRole("form", { name: "Edit due date" });
    await due.getByRole("textbox").fill("31/12/2031");
    await due.getByRole("button", { name: "Save due date" }).click();
    await expectErrorBeside(page, due.getByRole("textbox"), "Enter the due date as YYYY-MM-DD.");

    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);
    const [row] = await db<[{ status: string; due_date: string | null; n: number }]>`
      select status, due_date::text, (select count(*)::int from public.observations
                                        where cycle_report_id = ${observations.cycleReportId}) as n
        from public.observations where id = ${observationId}`;
    expect(row).toEqual({ status: "draft", due_date: null, n: 1 });
  }, 60_000);

  it("the action reads the same schemas: crafted posts get field errors back", async () => {
    const page = await open(observationsPath(), "tester@example.com", "Observations");
    const routeId = "routes/cycle-reports.$id_.observations";
    expectFieldErrors(
      await craftedPost(page, observationsPath(), routeId, {
        intent: "create",
        form_id: "new-observation",
        cycle_report_id: String(observations.cycleReportId),
        title: "  ",
        severity: "medium",
        category: "accuracy",
      }),
      "new-observation",
      { title: "Give the observation a title." },
    );
    expectFieldErrors(
      await craftedPost(page, observationsPath(), routeId, {
        intent: "move",
        form_id: "move-open",
        observation_id: observationId,
        to_status: "open",
        comment: "",
      }),
      "move-open",
      { comment: "Every move needs a comment." },
    );
    const [row] = await db<[{ status: string }]>`select status from public.observations where id = ${observationId}`;
    expect(row.status).toBe("draft");
  }, 60_000);
});

describe("the test report's forms", () => {
  it("a conclusion over the column's length is said beside it, and the action says the same", async () => {
    const page = await open(reportPath(), "tester@example.com", "Test report");
    const posted = watchPosts(page);
    const form = page.getByRole("form", { name: "Conclusion" });
    const conclusion = form.getByLabel("The tester's conclusion");
    await conclusion.fill("x".repeat(20_001));
    await form.getByRole("button", { name: "Save conclusion" }).click();
    await expectErrorBeside(page, conclusion, "Keep the conclusion under 20,000 characters.");
    expect(posted()).toBe(false);
    expectFieldErrors(
      await craftedPost(page, reportPath(), "routes/cycle-reports.$id_.report", {
        intent: "save_conclusion",
        form_id: "conclusion",
        version_id: report.reportVersionId,
        conclusion: "x".repeat(20_001),
      }),
      "conclusion",
      { conclusion: "Keep the conclusion under 20,000 characters." },
    );
    const [row] = await db<[{ conclusion: string }]>`
      select conclusion from public.test_reports where version_id = ${report.reportVersionId}`;
    expect(row.conclusion).toBe("Fairly stated but for Amount.");
  }, 60_000);

  it("the owner's rejection without a reason is said beside the reason, not in the banner", async () => {
    const tester = await signIn(report.testerEmail);
    const submitted = await tester.client.rpc("submit_version", { p_version_id: report.reportVersionId });
    expect(submitted.error).toBeNull();
    const page = await open(reportPath(), "owner@example.com", "Test report");
    const posted = watchPosts(page);
    await page.locator("summary", { hasText: "Reject…" }).click();
    const form = page.getByRole("form", { name: "Reject the version" });
    await form.getByRole("button", { name: "Reject version" }).click();
    await expectErrorBeside(page, form.getByLabel("Reason for rejecting"), "Say why the version is rejected.");
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);
    expectFieldErrors(
      await craftedPost(page, reportPath(), "routes/cycle-reports.$id_.report", {
        intent: "reject_version",
        form_id: `reject-${report.reportVersionId}`,
        version_id: report.reportVersionId,
        reason: " ",
      }),
      `reject-${report.reportVersionId}`,
      { reason: "Say why the version is rejected." },
    );
    const [row] = await db<[{ version_status: string }]>`
      select version_status from public.artifact_versions where id = ${report.reportVersionId}`;
    expect(row.version_status).toBe("pending_approval");
  }, 60_000);
});
