import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createDraft, type Draft, PASSWORD, TESTER } from "../generation/fixture";
import { launchBrowser, login, newPage } from "./support/browser";

// Two recorded calls: one for a draft of tester@'s cycle report, one for no cycle report (only admins see it).
const suffix = randomBytes(4).toString("hex");
const mine = `usage-${suffix}-mine`;
const others = `usage-${suffix}-others`;
let sql: postgres.Sql;
let draft: Draft;
let browser: Browser;

beforeAll(async () => {
  sql = connect();
  draft = await createDraft(sql);
  await sql`
    insert into public.llm_interactions (purpose, provider, model, version_id, status, input_tokens, output_tokens, cost_usd, duration_ms)
    values ('planning_attributes', 'openai', ${mine}, ${draft.versionId}, 'completed', 1200, 300, 0.006, 2300)`;
  await sql`
    insert into public.llm_interactions (purpose, provider, model, status, failure_reason, http_status, error, duration_ms)
    values ('profiling_rules', 'openai', ${others}, 'failed', 'rate_limited', 429, 'Rate limit reached', 40)`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sql.end();
});

describe("the LLM usage page", () => {
  it("shows a tester the calls and totals of their cycle reports only", async () => {
    const page = await newPage(browser);
    await login(page, TESTER, PASSWORD);
    await page.getByRole("link", { name: "LLM usage" }).click();
    await page.getByRole("heading", { name: "LLM usage" }).waitFor();

    const row = page.getByTestId("interaction").filter({ hasText: mine });
    await expect(row.textContent()).resolves.toMatch(/completed.*2\.3 s.*1,200 \/ 300.*\$0\.006/);
    await expect(page.getByText(others).count()).resolves.toBe(0);

    const totals = page.getByRole("table", { name: "Usage by cycle, report and phase" });
    const report = totals
      .locator('tr[data-level="cycle_report"]')
      .filter({ hasText: `Generation ${draft.table.slice(10)}` });
    await expect(report.textContent()).resolves.toContain("1,200");
    await expect(
      totals.locator('tr[data-level="phase"]').filter({ hasText: "planning" }).count(),
    ).resolves.toBeGreaterThan(0);
    // Phases by their display names, never their codes.
    const phases = await totals.locator('tr[data-level="phase"] td:first-child').allInnerTexts();
    expect(phases.length).toBeGreaterThan(0);
    expect(phases.filter((p) => /^[a-z]+(_[a-z]+)+$|^planning$/.test(p.trim()))).toEqual([]);
    await expect(row.textContent()).resolves.toContain("Planning · planning attributes");
  });

  it("shows an admin every call, with why it failed", async () => {
    const page = await newPage(browser);
    await login(page, "admin@example.com", PASSWORD);
    await page.goto("/llm-usage");
    await expect(page.getByTestId("interaction").filter({ hasText: mine }).count()).resolves.toBe(1);
    const failed = page.getByTestId("interaction").filter({ hasText: others });
    await expect(failed.textContent()).resolves.toMatch(/failed.*rate limited \(HTTP 429\).*Rate limit reached/);
    await expect(
      page.getByRole("table", { name: "Usage by cycle, report and phase" }).getByText("No cycle report").count(),
    ).resolves.toBeGreaterThan(0);
  });
});
