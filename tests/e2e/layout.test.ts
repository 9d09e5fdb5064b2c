// The pages hold their layout at 1,280 and 1,920 px: a rule set with a 255-character name (the longest a rule may have), a long pattern and
// 200 allowed values keeps the owner's Reject button and the status in view, the page never scrolls sideways,
// and the home page's counters lead to the cycle reports behind them. Screenshots of each page at each width go
// to LAYOUT_SCREENSHOTS (default: a folder under the system's temp directory), to be looked at.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { createPlanningFixture, type PlanningFixture } from "./support/profiling-fixture";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const shots = process.env.LAYOUT_SCREENSHOTS ?? path.join(tmpdir(), "regtest-layout");
const widths = [1280, 1920];
const longName = `Loan currency must be one of the currencies the bank books ${"and reports ".repeat(20)}`.slice(
  0,
  255,
);

let browser: Browser;
let fixture: PlanningFixture;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [browser, fixture] = await Promise.all([launchBrowser(), createPlanningFixture(db)]);
  // A profiling version awaiting the owner's approval, with wide rules, built as the database operator.
  await db.begin(async (tx) => {
    const [phase] = await tx<[{ id: string }]>`
      select id from public.workflow_phases where cycle_report_id = ${fixture.cycleReportId} and phase_name = 'data_profiling'`;
    const [version] = await tx<[{ id: string }]>`select id from public.create_version(${phase.id})`;
    const attribute = async (name: string) => {
      const [row] = await tx<[{ id: string }]>`
        select a.id from public.planning_attributes a
          join public.artifact_versions v on v.id = a.version_id and v.version_status = 'approved'
          join public.workflow_phases p on p.id = v.phase_id and p.cycle_report_id = ${fixture.cycleReportId}
         where a.name = ${name}`;
      return row.id;
    };
    const codes = Array.from({ length: 200 }, (_, i) => `C${String(i).padStart(3, "0")}`);
    const rules = [
      {
        name: longName,
        attribute: "currency",
        definition: { kind: "allowed_values", column: "currency", values: codes },
      },
      {
        name: "currency pattern",
        attribute: "currency",
        definition: { kind: "regex", column: "currency", pattern: `^(${codes.slice(0, 40).join("|")})$` },
      },
      { name: "amount present", attribute: "amount", definition: { kind: "not_null", column: "amount" } },
    ];
    for (const rule of rules) {
      await tx`
        insert into public.profiling_rules (version_id, attribute_id, name, rule_type, severity, definition, tester_decision)
        values (${version.id}, ${await attribute(rule.attribute)}, ${rule.name}, 'validity', 'high',
                ${tx.json(rule.definition)}, 'approved')`;
    }
    await tx`select public.submit_version(${version.id})`;
  });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

/** Neither the page nor its main column scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what}: page width`).toBeLessThanOrEqual(innerWidth);
}

/** The element is inside the visible part of the page and of every scrolling box around it. */
async function expectInView(page: Page, selector: string, what: string) {
  const visible = await page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      let ok = box.left >= 0 && box.right <= window.innerWidth;
      for (let up = element.parentElement; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (/(auto|scroll|hidden)/.test(style.overflowX)) {
          const outer = up.getBoundingClientRect();
          ok &&= box.left >= outer.left - 1 && box.right <= outer.right + 1;
        }
      }
      return ok;
    });
  expect(visible, `${what} in view`).toBe(true);
}

async function shoot(page: Page, name: string, width: number) {
  await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
}

describe("layout at 1,280 and 1,920 px", () => {
  for (const width of widths) {
    it(`the owner's review of wide rules keeps Reject and the status in view at ${width} px`, async () => {
      const page = await newPage(browser, { viewport: { width, height: 900 } });
      await page.goto(`/cycle-reports/${fixture.cycleReportId}/profiling`);
      await login(page, "owner@example.com", "demo-password");
      await page.getByRole("heading", { level: 1, name: "Data profiling" }).waitFor();
      const row = page.locator(`tr[data-rule="${longName}"]`);
      await row.waitFor();
      await expectNoSidewaysScroll(page, "profiling");
      await expectInView(page, `tr[data-rule="${longName}"] button[aria-label="Reject ${longName}"]`, "Reject");
      await expectInView(page, `tr[data-rule="${longName}"] td:last-child`, "status");
      await expectInView(
        page,
        `tr[data-rule="currency pattern"] button[aria-label="Reject currency pattern"]`,
        "Reject",
      );
      await shoot(page, "profiling-owner", width);

      // Home: the counters are links to the cycle reports behind them.
      await page.goto("/");
      await expectNoSidewaysScroll(page, "home");
      const decisions = page.getByTestId("awaiting-decisions");
      await expect(decisions.evaluate((e) => e.tagName)).resolves.toBe("A");
      await shoot(page, "home", width);
      await decisions.click();
      await page.getByRole("heading", { name: "Cycle reports with decisions to make" }).waitFor();
      await expect(
        page.locator(`[data-testid="cycle-report"][data-report="${fixture.reportName}"]`).count(),
      ).resolves.toBe(1);

      // Planning and the usage page hold too.
      await page.goto(`/cycle-reports/${fixture.cycleReportId}/planning`);
      await page.getByRole("heading", { level: 1, name: "Planning", exact: true }).waitFor();
      await expectNoSidewaysScroll(page, "planning");
      await shoot(page, "planning-owner", width);
      await page.goto("/llm-usage");
      await expectNoSidewaysScroll(page, "usage");
      await shoot(page, "llm-usage", width);
      await page.waitForLoadState("networkidle");
    }, 60_000);
  }

  it("the tester's view of a 255-character rule name does not widen the page", async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`/cycle-reports/${fixture.cycleReportId}/profiling`);
    await login(page, "tester@example.com", "demo-password");
    await page.getByRole("heading", { level: 1, name: "Data profiling" }).waitFor();
    await page.locator(`tr[data-rule="${longName}"]`).waitFor();
    await expectNoSidewaysScroll(page, "profiling as the tester");
    await shoot(page, "profiling-tester", 1280);
    await page.waitForLoadState("networkidle");
  });
});
