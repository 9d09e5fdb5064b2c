// The data request in the browser: the tester sends a request for each of three attributes, the data provider
// answers with a CSV and a PDF (and CSVs), and for the amount with a CSV as its data source, the tester returns one
// with a reason, the provider answers it, the tester accepts all three, and the phase completes; data profiling
// then runs the amount's rules on the provider's CSV.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataRequestCycleReport, type DataRequestFixture } from "../support/request-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
let browser: Browser;
let f: DataRequestFixture;
// Users of this test's own: other journeys sign the demo users in and out meanwhile.
const tester = { email: `req-tester-${randomUUID()}@regtest.test`, password: `pw-${randomUUID()}` };
const provider = { email: `req-provider-${randomUUID()}@regtest.test`, password: `pw-${randomUUID()}` };
const providerName = `Dora Provider ${randomUUID().slice(0, 8)}`;
const csv = (rows: string) => ({
  name: "loans.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(`loan_id,value\n${rows}`),
});
const pdf = {
  name: "data-dictionary.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
};

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = createClient(requiredEnv("SUPABASE_URL"), requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (const [user, name] of [
    [tester, "Rita Tester"],
    [provider, providerName],
  ] as const) {
    const created = await admin.auth.admin.createUser({
      ...user,
      email_confirm: true,
      user_metadata: { full_name: name },
    });
    if (created.error) throw created.error;
  }
  await db`update public.profiles set app_role = 'data_provider' where email = ${provider.email}`;
  f = await createDataRequestCycleReport(db, {
    testerEmail: tester.email,
    ownerEmail: "owner@example.com",
    attributes: ["Loan id", "Amount", "Rate"],
  });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

const settle = (page: Page) => page.waitForLoadState("networkidle");
const soon = { timeout: 15_000 };
const requestsPage = () => `/cycle-reports/${f.cycleReportId}/requests/data_request`;

// The amount's data as the provider gives it (c1 is the column planning maps the amount to): three rows, one empty.
const amountSource = {
  name: "amount-extract.csv",
  mimeType: "text/csv",
  buffer: Buffer.from("c1,branch\n100.50,North\n,South\n250.00,East\n"),
};

async function respond(
  page: Page,
  title: string,
  answer: string,
  files: Parameters<Page["setInputFiles"]>[1],
  source?: Parameters<Page["setInputFiles"]>[1],
) {
  await page.goto("/");
  await page.getByRole("link", { name: title }).click();
  const form = page.getByRole("form", { name: /Your response|Answer the return/ });
  await form.getByLabel("Answer").fill(answer);
  await form.getByLabel(/^Files/).setInputFiles(files);
  if (source) {
    await form.getByLabel(/^Source name/).fill("Amount extract");
    await form.getByLabel("CSV file").setInputFiles(source);
  }
  await form.getByRole("button", { name: "Send response" }).click();
  await expect.poll(() => page.locator("[data-status]").first().getAttribute("data-status"), soon).toBe("responded");
}

describe("the data request", () => {
  it("goes from the tester to the data provider and back until the phase completes", async () => {
    const testerPage = await newPage(browser);
    await login(testerPage, tester.email, tester.password);
    await testerPage.goto(requestsPage());
    const create = testerPage.getByRole("form", { name: "New requests" });
    for (const name of ["Loan id", "Amount", "Rate"]) await create.getByLabel(name).check();
    await create.getByLabel("Data provider").selectOption({ label: providerName });
    await create.getByLabel("Due date").fill("2030-02-15");
    await create.getByLabel(/^Title/).fill("Source data");
    await create.getByLabel("Instructions").fill("The loan tape as of the period end.");
    await create.getByRole("button", { name: "Create and send" }).click();
    const table = testerPage.getByRole("table", { name: "Requests" });
    await expect.poll(() => table.locator('[data-status="sent"]').count(), soon).toBe(3);

    // the data provider answers each, one of them with a CSV and a PDF
    const providerPage = await newPage(browser);
    await login(providerPage, provider.email, provider.password);
    const awaiting = providerPage.getByRole("list", { name: "Requests awaiting your answer" });
    await expect(awaiting.innerText()).resolves.toContain("Source data: Amount");
    await expect(providerPage.getByRole("link", { name: "Cycle reports" }).count()).resolves.toBe(0);
    // The testing team's pages are not offered to a data provider.
    await expect(providerPage.getByRole("link", { name: "LLM usage" }).count()).resolves.toBe(0);
    await respond(
      providerPage,
      "Source data: Amount",
      "Extract and dictionary attached.",
      [csv("L1,100\n"), pdf],
      amountSource,
    );
    await expect(providerPage.getByRole("list", { name: "Responses" }).innerText()).resolves.toMatch(
      /loans\.csv[\s\S]*data-dictionary\.pdf/,
    );
    const given = providerPage.getByRole("region", { name: "Data source Amount extract" });
    await expect(given.innerText()).resolves.toMatch(/for Amount[\s\S]*3 rows/);
    await expect(given.getByRole("list", { name: "Columns" }).innerText()).resolves.toMatch(/c1[\s\S]*branch/);
    await respond(providerPage, "Source data: Loan id", "Loan ids attached.", [csv("L1,L1\n")]);
    await respond(providerPage, "Source data: Rate", "Rates attached.", [csv("L1,3.1\n")]);

    // the tester returns the rates with a reason
    await testerPage.goto(requestsPage());
    await testerPage.getByRole("link", { name: "Source data: Rate" }).click();
    const back = testerPage.getByRole("form", { name: "Return to the data provider" });
    await back.getByLabel("Reason for returning").fill("Rates are rounded; send full precision.");
    await back.getByRole("button", { name: "Return" }).click();
    await expect
      .poll(() => testerPage.locator("[data-status]").first().getAttribute("data-status"), soon)
      .toBe("returned");

    // the provider sees why, and answers
    await providerPage.goto("/");
    await expect(awaiting.innerText()).resolves.toContain("Returned: Rates are rounded; send full precision.");
    await respond(providerPage, "Source data: Rate", "Full precision now.", [csv("L1,3.1415\n")]);
    await providerPage.getByRole("textbox", { name: "Comment" }).fill("The previous file was an old export.");
    await providerPage.getByRole("button", { name: "Comment" }).click();
    await expect
      .poll(() => providerPage.getByRole("list", { name: "Comments" }).innerText(), soon)
      .toContain("old export");

    // the tester accepts the three and completes the phase
    for (const title of ["Source data: Amount", "Source data: Loan id", "Source data: Rate"]) {
      await testerPage.goto(requestsPage());
      await testerPage.getByRole("link", { name: title }).click();
      if (title === "Source data: Amount") {
        // the tester sees the source the provider gave: its table, rows and columns
        const source = testerPage.getByRole("region", { name: "Data source Amount extract" });
        await expect(source.innerText()).resolves.toMatch(/Uploaded table upload_\w+ · 3 rows/);
        await expect(source.getByRole("list", { name: "Columns" }).innerText()).resolves.toMatch(/c1[\s\S]*branch/);
      }
      await testerPage.getByRole("button", { name: "Accept" }).click();
      await expect
        .poll(() => testerPage.locator("[data-status]").first().getAttribute("data-status"), soon)
        .toBe("accepted");
    }
    await testerPage.goto(`/cycle-reports/${f.cycleReportId}`);
    for (const activity of ["Identify the data owners", "Send the data requests", "Receive the requested data"]) {
      await testerPage.getByRole("button", { name: `Start ${activity}` }).click();
      await testerPage.getByRole("button", { name: `Complete ${activity}` }).click();
      await testerPage.getByRole("button", { name: `Complete ${activity}` }).waitFor({ state: "detached" });
    }
    await testerPage.getByRole("button", { name: "Complete Data request" }).click();
    await expect
      .poll(
        async () =>
          (await db`select status from public.workflow_phases where id = ${f.phases.data_request!}`)[0]?.status,
        soon,
      )
      .toBe("completed");
    const [files] = await db<[{ n: number }]>`
      select count(*)::int as n from public.request_files f join public.requests r on r.id = f.request_id
       where r.cycle_report_id = ${f.cycleReportId}`;
    expect(files.n).toBe(5);
    await testerPage.goto(requestsPage());
    await testerPage.getByRole("link", { name: "Source data: Amount" }).click();
    await expect(testerPage.getByRole("region", { name: "Data source Amount extract" }).innerText()).resolves.toContain(
      "accepted",
    );
    await settle(testerPage);
    await settle(providerPage);
  }, 120_000);

  it("runs the amount's profiling rules on the CSV the provider gave, the others on planning's source", async () => {
    // planning's source holds one row per attribute column, so a run on it would count 1 row, not 3
    await db.unsafe(`insert into source_data.upload_req${f.suffix} (c0, c1, c2) values ('L9', '5', '1.0')`);
    const versionId = await db.begin(async (tx) => {
      await tx`select public.start_phase(${f.phases.data_profiling!})`;
      const [version] = await tx<{ id: string }[]>`select id from public.create_version(${f.phases.data_profiling!})`;
      await tx`
        insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
        values (${version!.id}, ${f.attributes.Amount!}, 'amount given', 'completeness', ${tx.json({ kind: "not_null", column: "c1" })}, 'approved'),
               (${version!.id}, ${f.attributes["Loan id"]!}, 'loan id given', 'completeness', ${tx.json({ kind: "not_null", column: "c0" })}, 'approved')`;
      await tx`select public.submit_version(${version!.id})`;
      await tx`update public.profiling_rules set report_owner_decision = 'approved' where version_id = ${version!.id}`;
      await tx`select public.approve_version(${version!.id})`;
      return version!.id;
    });
    const page = await newPage(browser);
    await login(page, tester.email, tester.password);
    await page.goto(`/cycle-reports/${f.cycleReportId}/profiling?version=${versionId}`);
    const where = page.getByRole("table", { name: "Where the rules run" });
    await expect(where.getByRole("row", { name: /^Amount/ }).innerText()).resolves.toMatch(
      /Amount\s+Amount extract\s+the data request\s+upload_\w+\s+3/,
    );
    await expect(where.getByRole("row", { name: /^Loan id/ }).innerText()).resolves.toMatch(
      /Loan id\s+Upload\s+planning/,
    );
    await page.getByRole("button", { name: "Run rules" }).click();
    const results = page.getByRole("list", { name: "Results" });
    await expect
      .poll(async () => ((await results.count()) ? results.innerText() : ""), { timeout: 30_000, interval: 250 })
      .toMatch(/amount given · Amount · on Amount extract \(data request\)[\s\S]*2 passed · 1 failed of 3 rows/);
    await expect(results.innerText()).resolves.toMatch(/loan id given[\s\S]*1 passed · 0 failed of 1 row\b/);
    await expect(results.innerText()).resolves.not.toMatch(/loan id given · Loan id · on/);
    // the failed row is shown with the provider's columns
    await page.getByText(/^Failed rows of amount given/).click();
    const sample = page.getByRole("table", { name: "Failed rows of amount given" });
    await expect(sample.locator("thead th").allInnerTexts()).resolves.toEqual(["c1 ◆", "branch"]);
    await expect(sample.innerText()).resolves.toContain("South");
    await settle(page);
  }, 90_000);

  it("lets the report owner read the requests and download the evidence, and nothing more", async () => {
    const page = await newPage(browser);
    await login(page, "owner@example.com", "demo-password");
    await page.goto(requestsPage());
    await expect(page.getByRole("form", { name: "New requests" }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Source data: Amount" }).click();
    await expect(page.getByRole("button", { name: "Accept" }).count()).resolves.toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "data-dictionary.pdf" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("data-dictionary.pdf");
    await settle(page);
  }, 60_000);
});
