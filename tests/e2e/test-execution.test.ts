// The test-execution journey in the browser: on a 5 × 3 grid (five approved samples, three in-scope attributes),
// the tester records every result, one of them a failure with its exception; the second
// tester finds them awaiting review and signs them off in bulk; the tester submits and the report owner approves.
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestExecutionFixture, type TestExecutionFixture } from "../support/test-execution-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const password = "demo-password";

let browser: Browser;
let fixture: TestExecutionFixture;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([
    launchBrowser(),
    createTestExecutionFixture(db, {
      rows: 50,
      samples: 5,
      attributes: [
        ["Loan id", "loan_id", "internal"],
        ["Amount", "amount", "internal"],
        ["Region", "region", "internal"],
      ],
    }),
  ]);
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
  await page.getByRole("link", { name: "Test execution: open the workspace" }).click();
  await page.getByRole("heading", { level: 1, name: "Test execution" }).waitFor();
  return page;
}

const grid = (page: Page) => page.getByRole("table", { name: "Test cases" });
const cells = (page: Page) => grid(page).locator("tbody a[data-state]");
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });
const progress = (page: Page) => page.getByLabel("Test progress").innerText();

describe("test execution in the browser", () => {
  it("two testers prepare and review a 5 × 3 grid with one failure; the owner approves", async () => {
    const tester = await openWorkspace("tester@example.com");
    await tester.getByRole("button", { name: "Create the first version" }).click();
    await poll(() => cells(tester).count()).toBe(15);
    await expect(grid(tester).locator("tbody tr").count()).resolves.toBe(5);
    await expect(progress(tester)).resolves.toContain("15 test cases · 0 prepared · 0 reviewed · 0 failed");

    // The tester opens each cell and records its result; the first Amount fails.
    const keys = await grid(tester)
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-sample")!));
    let failed = false;
    for (const key of keys) {
      for (const attribute of ["Amount", "Loan id", "Region"]) {
        await grid(tester)
          .getByRole("link", { name: `${key} · ${attribute}: Not started` })
          .click();
        const panel = tester.getByRole("complementary", { name: `Test case ${key} · ${attribute}` });
        await panel.waitFor();
        const form = panel.getByRole("form", { name: "Record the result" });
        const failing: boolean = attribute === "Amount" && !failed;
        await form.getByRole("radio", { name: failing ? "Fail" : "Pass", exact: true }).check();
        await form.getByLabel("Value in the source evidence").fill(failing ? "12345" : "as reported");
        if (failing) await form.getByLabel("Exception (required for a failure)").fill("The statement shows 12345");
        await form.getByRole("button", { name: "Save result" }).click();
        await poll(() =>
          grid(tester)
            .getByRole("link", { name: new RegExp(`^${key} · ${attribute}: `) })
            .getAttribute("data-state"),
        ).toBe("awaiting_review");
        failed ||= failing;
      }
    }
    await poll(() => progress(tester)).toContain("15 prepared · 0 reviewed · 1 failed");
    // The preparer is offered no sign-off of their own work.
    await expect(tester.getByRole("form", { name: "Sign off many test cases" }).count()).resolves.toBe(0);

    // The second tester filters what awaits review and signs it off in bulk.
    const reviewer = await openWorkspace("tester2@example.com");
    await reviewer
      .getByRole("navigation", { name: "Filter test cases" })
      .getByRole("link", { name: "Awaiting review" })
      .click();
    await reviewer.getByRole("button", { name: "Sign off 15 awaiting review" }).click();
    await poll(() => progress(reviewer)).toContain("15 prepared · 15 reviewed · 1 failed");
    await reviewer.getByRole("navigation", { name: "Filter test cases" }).getByRole("link", { name: "Failed" }).click();
    await poll(() => grid(reviewer).locator('tbody a[data-result="fail"]:not(.opacity-30)').count()).toBe(1);
    await expect(reviewer.getByRole("list", { name: "Exceptions" }).innerText()).resolves.toContain(
      "The statement shows 12345",
    );

    // The tester submits, the report owner approves.
    await tester.reload();
    await tester.getByRole("button", { name: "Submit for approval" }).click();
    await tester.getByRole("link", { name: /Version 1\s+…?\s*Awaiting approval/ }).waitFor();
    const owner = await openWorkspace("owner@example.com");
    await owner.getByRole("button", { name: "Approve version" }).click();
    await owner.getByRole("link", { name: /Version 1\s+✓?\s*Approved/ }).waitFor();
    const exceptions = await db`
      select count(*)::int as n from public.test_exceptions e
        join public.artifact_versions v on v.id = e.version_id
       where v.cycle_report_id = ${fixture.cycleReportId} and v.version_status = 'approved'`;
    expect(exceptions[0]!.n).toBe(1);
  }, 180_000);

  it("where the cycle report names the report owner as reviewer, the owner signs off and no tester is offered it", async () => {
    const small = await createTestExecutionFixture(db, {
      rows: 20,
      samples: 2,
      attributes: [["Amount", "amount", "internal"]],
    });
    // Set in Studio: this cycle report's test execution is reviewed by the report owner.
    await db`update public.workflow_phases set item_reviewer = 'report_owner' where id = ${small.testPhaseId}`;
    const open = async (email: string) => {
      const page = await newPage(browser);
      page.setDefaultTimeout(10_000);
      await page.goto(`/cycle-reports/${small.cycleReportId}/testing`);
      await login(page, email, password);
      await page.getByRole("heading", { level: 1, name: "Test execution" }).waitFor();
      return page;
    };
    const tester = await open("tester@example.com");
    await tester.getByRole("button", { name: "Create the first version" }).click();
    await poll(() => cells(tester).count()).toBe(2);
    await expect(tester.getByTestId("reviewer").innerText()).resolves.toContain("the report owner signs off");
    const keys = await grid(tester)
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-sample")!));
    for (const key of keys) {
      await grid(tester)
        .getByRole("link", { name: `${key} · Amount: Not started` })
        .click();
      const form = tester
        .getByRole("complementary", { name: `Test case ${key} · Amount` })
        .getByRole("form", { name: "Record the result" });
      await form.getByRole("radio", { name: "Pass", exact: true }).check();
      await form.getByLabel("Value in the source evidence").fill("as reported");
      await form.getByRole("button", { name: "Save result" }).click();
      await poll(() =>
        grid(tester)
          .getByRole("link", { name: new RegExp(`^${key} · Amount: `) })
          .getAttribute("data-state"),
      ).toBe("awaiting_review");
    }
    // The second tester is not the reviewer here: no sign-off is offered to them.
    const second = await open("tester2@example.com");
    await grid(second)
      .getByRole("link", { name: `${keys[0]} · Amount: Pass, awaiting review` })
      .click();
    await second.getByRole("complementary", { name: `Test case ${keys[0]} · Amount` }).waitFor();
    await expect(second.getByRole("form", { name: "Sign off the test" }).count()).resolves.toBe(0);
    await expect(second.getByRole("form", { name: "Sign off many test cases" }).count()).resolves.toBe(0);

    // The owner signs off one case in its panel, the other in bulk.
    const owner = await open("owner@example.com");
    await grid(owner)
      .getByRole("link", { name: `${keys[0]} · Amount: Pass, awaiting review` })
      .click();
    const panel = owner.getByRole("complementary", { name: `Test case ${keys[0]} · Amount` });
    await expect(panel.getByRole("form", { name: "Record the result" }).count()).resolves.toBe(0);
    await panel.getByRole("form", { name: "Sign off the test" }).getByLabel("Review notes").fill("agreed");
    await panel.getByRole("button", { name: "Sign off as reviewer" }).click();
    await poll(() => progress(owner)).toContain("2 prepared · 1 reviewed");
    await owner.getByRole("button", { name: "Sign off 1 awaiting review" }).click();
    await poll(() => progress(owner)).toContain("2 prepared · 2 reviewed");
    const reviewers = await db`
      select distinct p.email from public.test_cases t join public.artifact_versions v on v.id = t.version_id
        join public.profiles p on p.id = t.tester_decided_by where v.cycle_report_id = ${small.cycleReportId}`;
    expect(reviewers.map((r) => r.email)).toEqual(["owner@example.com"]);

    // The tester submits; the owner who reviewed approves.
    await tester.reload();
    await tester.getByRole("button", { name: "Submit for approval" }).click();
    await tester.getByRole("link", { name: /Version 1\s+…?\s*Awaiting approval/ }).waitFor();
    await owner.reload();
    await owner.getByRole("button", { name: "Approve version" }).click();
    await owner.getByRole("link", { name: /Version 1\s+✓?\s*Approved/ }).waitFor();
  }, 120_000);

  it("a file of the request for information is linked as evidence, downloads and previews as a PDF; a file uploaded on the case previews", async () => {
    const rfi = await createTestExecutionFixture(db, {
      rows: 20,
      samples: 2,
      attributes: [["Amount", "amount", "internal"]],
      rfi: { providerEmail: "provider@example.com", attribute: "Amount" },
    });
    const tester = await newPage(browser);
    tester.setDefaultTimeout(10_000);
    await tester.goto(`/cycle-reports/${rfi.cycleReportId}/testing`);
    await login(tester, "tester@example.com", password);
    await tester.getByRole("button", { name: "Create the first version" }).click();
    await poll(() => cells(tester).count()).toBe(2);
    const [key, other] = Object.keys(rfi.rfiFiles).sort();
    await grid(tester)
      .getByRole("link", { name: `${key} · Amount: Not started` })
      .click();
    const panel = tester.getByRole("complementary", { name: `Test case ${key} · Amount` });
    await panel.waitFor();
    // The attribute's approved profiling rules are listed (profiling was skipped here: none); no rule derives the
    // expected value, so the panel says the tester enters it.
    const rules = panel.getByRole("region", { name: "Approved profiling rules" });
    await expect(rules.innerText()).resolves.toContain("No approved profiling rule on this attribute.");
    await expect(rules.innerText()).resolves.toContain("No rule derives an expected value");
    await panel.getByLabel("Expected value (entered by the tester)").waitFor();
    // Only the file answering this sample's request is offered.
    const choices = await panel
      .getByRole("form", { name: "Link a file from the requests for information" })
      .getByRole("option")
      .allInnerTexts();
    expect(choices).toEqual([expect.stringContaining(`statement-${key}.pdf`)]);
    expect(choices.join()).not.toContain(`statement-${other}.pdf`);
    const pdfRoute = new RegExp(`/cycle-reports/${rfi.cycleReportId}/testing/evidence/[0-9a-f-]{36}/pdf$`);
    const pdfLoaded = tester.waitForResponse((r) => pdfRoute.test(new URL(r.url()).pathname));
    const refusedFrames: string[] = [];
    tester.on("console", (m) => {
      if (/Refused to (frame|display|load)/i.test(m.text())) refusedFrames.push(m.text());
    });
    await panel.getByRole("button", { name: "Link file" }).click();
    const download = panel.getByRole("link", { name: `Download statement-${key}.pdf` });
    await download.waitFor();
    // The PDF previews in the panel: a frame of the app's inline route, answered with the PDF itself.
    const pdfFrame = panel.locator(`iframe[title="Preview of statement-${key}.pdf"]`);
    await pdfFrame.waitFor();
    const pdfResponse = await pdfLoaded;
    expect(pdfResponse.status()).toBe(200);
    expect(pdfResponse.headers()["content-type"]).toBe("application/pdf");
    expect(pdfResponse.headers()["content-disposition"]).toBe(`inline; filename="statement-${key}.pdf"`);
    const src = await pdfFrame.getAttribute("src");
    expect(src).toMatch(pdfRoute);
    // Framed, not refused: the frame stays on the PDF's address (a refused frame shows the browser's error page).
    await poll(async () => (await pdfFrame.elementHandle())?.contentFrame().then((f) => f?.url())).toBe(
      new URL(src!, tester.url()).href,
    );
    expect(refusedFrames).toEqual([]);
    await expect(panel.getByRole("list", { name: "Evidence files" }).innerText()).resolves.toContain(
      "request for information",
    );
    // The link is checked against the checksum and handed over through a signed URL: the provider's bytes.
    const href = await download.getAttribute("href");
    const fetched = await tester.request.get(href!);
    expect(fetched.status()).toBe(200);
    expect(Buffer.from(await fetched.body()).equals(rfi.rfiFiles[key!]!.bytes)).toBe(true);

    // A file uploaded on the case goes into the evidence bucket and is previewed.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
      "base64",
    );
    await panel
      .getByRole("form", { name: "Upload evidence" })
      .getByLabel(/Upload a file/)
      .setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: png });
    await panel.getByRole("button", { name: "Upload", exact: true }).click();
    const preview = panel.getByRole("img", { name: "Preview of screen.png" });
    await preview.waitFor();
    await poll(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    const stored = await db`
      select e.kind, e.object_path from public.test_case_evidence e
        join public.test_cases t on t.id = e.test_case_id
       where t.version_id in (select id from public.artifact_versions where cycle_report_id = ${rfi.cycleReportId})
       order by e.linked_at`;
    expect(stored.map((e) => e.kind)).toEqual(["rfi_file", "upload"]);
    expect(stored[1]!.object_path).toMatch(new RegExp(`^${rfi.cycleReportId}/cases/`));

    // The report owner reads the same evidence and downloads it.
    const owner = await newPage(browser);
    owner.setDefaultTimeout(10_000);
    await owner.goto(
      `/cycle-reports/${rfi.cycleReportId}/testing?case=${new URL(tester.url()).searchParams.get("case")}`,
    );
    await login(owner, "owner@example.com", password);
    const ownerLink = owner.getByRole("link", { name: `Download statement-${key}.pdf` });
    await ownerLink.waitFor();
    const ownerFetch = await owner.request.get((await ownerLink.getAttribute("href"))!);
    expect(Buffer.from(await ownerFetch.body()).equals(rfi.rfiFiles[key!]!.bytes)).toBe(true);
  }, 120_000);
});
