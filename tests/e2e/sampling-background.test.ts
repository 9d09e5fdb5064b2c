// A draw in the background, in the browser: the tester ticks "Draw in the background", the workspace shows the
// job's progress while the stack's worker draws, and the samples appear when it is done, drawn by generator
// version 2 and recorded as the tester's, as run_sample_selection would have drawn them.
import postgres from "postgres";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });

let browser: Browser;
let fixture: SamplingFixture;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([launchBrowser(), createSamplingFixture(db, { rows: 2000 })]);
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

describe("a draw in the background", () => {
  it("shows the job and then its samples", async () => {
    const page = await newPage(browser);
    page.setDefaultTimeout(10_000);
    await page.goto(`/cycle-reports/${fixture.cycleReportId}`);
    await login(page, "tester@example.com", "demo-password");
    await page.getByRole("link", { name: "Sample selection: open the workspace" }).click();
    await page.getByRole("heading", { level: 1, name: "Sample selection" }).waitFor();
    await page.getByRole("button", { name: "Create the first version" }).click();

    const run = page.getByRole("form", { name: "Run the selection" });
    await run.waitFor();
    await run.getByLabel("Key column").selectOption("loan_id");
    await run.getByLabel("Amount column").selectOption("amount");
    await run.getByLabel("Simple random").check();
    await run.getByLabel("Seed (empty: a random one, recorded)").fill("in-the-background");
    // 2,000 rows are drawn in the request by default; the tester asks for the background.
    await expect(run.getByLabel("Draw in the background (large populations)").isChecked()).resolves.toBe(false);
    await run.getByLabel("Draw in the background (large populations)").check();
    await run.getByRole("button", { name: "Draw the samples" }).click();

    // The page follows the job until the samples are there (the calculator's default: 59).
    await expect
      .poll(() => page.getByRole("table", { name: "Samples" }).locator("tbody tr").count(), { timeout: 30_000 })
      .toBe(59);
    await expect(page.getByLabel("Background draw").count()).resolves.toBe(0);
    const [job] = await db<{ status: string; progress: number; created_by: string; seed: string }[]>`
      select j.status, j.progress, j.created_by, j.metadata ->> 'seed' as seed from public.background_jobs j
        join public.artifact_versions v on v.id = j.version_id
       where v.cycle_report_id = ${fixture.cycleReportId} and j.job_type = 'sampling.draw'`;
    expect(job).toMatchObject({ status: "completed", progress: 100, seed: "in-the-background" });
    const [selection] = await db<{ generator_version: string; run_by: string; drawn: number }[]>`
      select s.generator_version, s.run_by, cardinality(s.drawn_keys) as drawn from public.sample_selections s
       where s.cycle_report_id = ${fixture.cycleReportId}`;
    expect(selection).toMatchObject({ generator_version: "regtest-sampling/2 hashtextextended", drawn: 59 });
    expect(selection!.run_by).toBe(job!.created_by);
  }, 90_000);
});
