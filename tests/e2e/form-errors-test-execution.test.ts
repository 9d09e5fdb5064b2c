// Test execution's forms say a wrong field beside it (aria-invalid, aria-describedby) before anything is sent, and
// the action reads the same schema: a form posted past the browser's check gets the same field errors back.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestExecutionFixture, type TestExecutionFixture } from "../support/test-execution-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { craftedPost, expectErrorBeside, expectFieldErrors, watchPosts } from "./support/crafted-post";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const routeId = "routes/cycle-reports.$id_.testing";

let browser: Browser;
let fixture: TestExecutionFixture;
let versionId: string;
let caseId: string;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([
    launchBrowser(),
    createTestExecutionFixture(db, { rows: 10, samples: 1, attributes: [["Amount", "amount", "internal"]] }),
  ]);
  const [v] = await db<[{ id: string }]>`select id from public.create_version(${fixture.testPhaseId})`;
  versionId = v.id;
  const [c] = await db<[{ id: string }]>`select id from public.test_cases where version_id = ${versionId} limit 1`;
  caseId = c.id;
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

async function openCase(email = "tester@example.com"): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(10_000);
  await page.goto(`/cycle-reports/${fixture.cycleReportId}/testing?version=${versionId}&case=${caseId}`);
  await login(page, email, "demo-password");
  await page.getByRole("heading", { level: 1, name: "Test execution" }).waitFor();
  return page;
}

const path = () => `/cycle-reports/${fixture.cycleReportId}/testing`;

describe("test execution's forms", () => {
  it("a failure without its exception, and a reference without its name, are said beside the field; nothing is sent", async () => {
    const page = await openCase();
    const posted = watchPosts(page);
    const form = page.getByRole("form", { name: "Record the result" });
    await form.getByRole("radio", { name: "Fail", exact: true }).check();
    await form.getByRole("button", { name: "Save result" }).click();
    const exception = form.getByLabel("Exception (required for a failure)");
    await expectErrorBeside(page, exception, "A failed test needs the exception's description.");
    await expect(exception.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await form.getByLabel("Value in the source evidence").getAttribute("aria-invalid")).toBeNull();

    const reference = page.getByRole("form", { name: "Reference a document kept elsewhere" });
    await reference.getByLabel("Where it is kept").fill("Archive room 2");
    await reference.getByRole("button", { name: "Add reference" }).click();
    await expectErrorBeside(page, reference.getByLabel("Document"), "Name the document.");
    expect(await reference.getByLabel("Where it is kept").getAttribute("aria-invalid")).toBeNull();

    const upload = page.getByRole("form", { name: "Upload evidence" });
    await upload.getByRole("button", { name: "Upload", exact: true }).click();
    await expectErrorBeside(page, upload.getByLabel(/Upload a file/), "Choose a file to upload.");

    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted()).toBe(false);
    const [row] = await db<[{ result: string | null; evidence: number }]>`
      select result, (select count(*)::int from public.test_case_evidence e where e.test_case_id = t.id) as evidence
        from public.test_cases t where id = ${caseId}`;
    expect(row).toEqual({ result: null, evidence: 0 });

    // Corrected, the result is saved.
    await exception.fill("The statement shows 12345");
    await form.getByRole("button", { name: "Save result" }).click();
    await expect
      .poll(async () => (await db`select result from public.test_cases where id = ${caseId}`)[0]!.result)
      .toBe("fail");
  }, 60_000);

  it("the action reads the same schemas: a crafted post gets field errors back, and nothing changes", async () => {
    const page = await openCase();
    const hidden = { version_id: versionId, item_id: caseId };
    expectFieldErrors(
      await craftedPost(page, path(), routeId, {
        ...hidden,
        intent: "save_result",
        form_id: `result-${caseId}`,
        result: "fail",
        exception_description: " ",
      }),
      `result-${caseId}`,
      { exception_description: "A failed test needs the exception's description." },
    );
    expectFieldErrors(
      await craftedPost(page, path(), routeId, {
        ...hidden,
        intent: "link_reference",
        form_id: `reference-${caseId}`,
        name: "",
        location: "",
      }),
      `reference-${caseId}`,
      { name: "Name the document.", location: "Say where the document is kept." },
    );
    const [row] = await db<[{ evidence: number }]>`
      select count(*)::int as evidence from public.test_case_evidence where test_case_id = ${caseId}`;
    expect(row.evidence).toBe(0);
  }, 60_000);
});
