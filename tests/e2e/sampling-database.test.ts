// A database population in the browser: the tester chooses the planning version's database table as the
// population, finds only the methods it is drawn by, draws in the background (the only way for a database table)
// and sees the job's progress and then the samples, the restricted column masked; "Re-perform the selection" queues
// the re-performance in the table's own database and the page shows its verdict.
import postgres from "postgres";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRemotePopulation,
  createSamplingFixture,
  type RemotePopulation,
  type SamplingFixture,
} from "../support/sampling-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });

let browser: Browser;
let remote: RemotePopulation;
let fixture: SamplingFixture;

beforeAll(async () => {
  remote = await createRemotePopulation(db, requiredEnv("SUPABASE_DB_URL"), {
    rows: 2000,
    readable: ["loan_id", "amount", "region"],
  });
  [browser, fixture] = await Promise.all([
    launchBrowser(),
    createSamplingFixture(db, {
      rows: 2000,
      database: {
        population: remote,
        attributes: [
          ["Loan id", "loan_id", "internal"],
          ["Amount", "amount", "internal"],
          ["Region", "region", "internal"],
          ["Tax id", "tax_id", "restricted"],
        ],
      },
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await remote?.drop();
  await db.end();
});

describe("a database population in the workspace", () => {
  it("is drawn in the background and re-performed there, with the verdict shown", async () => {
    const page = await newPage(browser);
    page.setDefaultTimeout(10_000);
    await page.goto(`/cycle-reports/${fixture.cycleReportId}`);
    await login(page, "tester@example.com", "demo-password");
    await page.getByRole("link", { name: "Sample selection: open the workspace" }).click();
    await page.getByRole("heading", { level: 1, name: "Sample selection" }).waitFor();
    await page.getByRole("button", { name: "Create the first version" }).click();

    const run = page.getByRole("form", { name: "Run the selection" });
    await run.waitFor();
    await run.getByLabel("Data source").selectOption({ label: "Loans (core banking) (2000 rows) · database table" });
    await expect(run.getByLabel("Systematic, random start").isDisabled()).resolves.toBe(true);
    await expect(run.getByLabel("Monetary unit").isDisabled()).resolves.toBe(true);
    await expect(run.getByText("Drawn in the background, in the table's own database").count()).resolves.toBe(1);
    await run.getByLabel("Key column").selectOption("loan_id");
    await run.getByLabel("Amount column").selectOption("amount");
    await run.getByLabel("Simple random").check();
    await run.getByLabel("Seed (empty: a random one, recorded)").fill("from-the-core-banking-table");
    await run.getByRole("button", { name: "Draw the samples" }).click();

    // The page follows the job until the samples are there (the calculator's default: 59).
    const rows = page.getByRole("table", { name: "Samples" }).locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(59);
    await expect(page.getByLabel("Background draw").count()).resolves.toBe(0);
    await expect(page.getByRole("table", { name: "Samples" }).getByText("TAX-").count()).resolves.toBe(0);
    const [selection] = await db<{ data_source_id: string; drawn: number }[]>`
      select s.data_source_id, cardinality(s.drawn_keys) as drawn from public.sample_selections s
       where s.cycle_report_id = ${fixture.cycleReportId}`;
    expect(selection).toMatchObject({ data_source_id: fixture.databaseSourceId, drawn: 59 });

    await page.getByRole("button", { name: "Re-perform the selection" }).click();
    const verdict = page.getByRole("status", { name: "Re-performance verdict" });
    await expect.poll(() => verdict.textContent(), { timeout: 30_000 }).toMatch(/^Identical/);
    const [job] = await db<{ status: string }[]>`
      select j.status from public.background_jobs j
        join public.artifact_versions v on v.id = j.version_id
       where v.cycle_report_id = ${fixture.cycleReportId} and j.job_type = 'sampling.reperform'`;
    expect(job).toMatchObject({ status: "completed" });
  }, 90_000);
});
