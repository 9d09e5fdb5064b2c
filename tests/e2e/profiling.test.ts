// The profiling journey in the browser: the tester writes and decides rules and submits them, the report
// owner decides each rule and approves, the tester runs them, follows the progress bar to 100 and reads
// the results (pass rates, a failed-row sample), marks an anomaly and exports the results.
import postgres from "postgres";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";
import { generationContext } from "./support/generation-context";
import { createPlanningFixture, type PlanningFixture } from "./support/profiling-fixture";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
const password = "demo-password";

let browser: Browser;
let fixture: PlanningFixture;

beforeAll(async () => {
  [browser, fixture] = await Promise.all([launchBrowser(), createPlanningFixture(db)]);
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

async function openWorkspace(email: string): Promise<Page> {
  const page = await newPage(browser);
  // Fail a step in seconds with the locator in the message, well inside the test's own time limit.
  page.setDefaultTimeout(10_000);
  await page.goto(`/cycle-reports/${fixture.cycleReportId}`);
  await login(page, email, password);
  await page.getByRole("link", { name: "Data profiling workspace" }).click();
  await page.getByRole("heading", { level: 1, name: "Data profiling" }).waitFor();
  return page;
}

const rulesTable = (page: Page) => page.getByRole("table", { name: "Profiling rules" });
const ruleRow = (page: Page, name: string) => rulesTable(page).locator(`tr[data-rule="${name}"]`);
const refusal = (page: Page, reason: string) => page.locator(`[role="alert"][data-reason="${reason}"]`);

const pageData = new Set(["root", "routes/cycle-reports.$id_.profiling"]);

/**
 * Clicks, then waits for the banner of this refusal (not a previous one still showing) and for the page's
 * data to reload: the banner shows while the data reloads, and a click under it would cut the reload short.
 */
async function refusedOn(page: Page, click: Locator, reason: string): Promise<string> {
  const reloads = [...pageData].map((route) =>
    page.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).searchParams.get("_data") === route),
  );
  await click.click();
  await refusal(page, reason).waitFor();
  await Promise.all(reloads);
  return refusal(page, reason).innerText();
}
// Route discovery fetches in the background; closing the page under them would count as a failed request.
const settle = (page: Page) => page.waitForLoadState("networkidle");

async function addRule(
  page: Page,
  rule: { attribute: string; name: string; kind: string; fill: Record<string, string> },
) {
  const form = page.getByRole("form", { name: "Add a rule" });
  await form.getByLabel("Attribute").selectOption({ label: rule.attribute });
  await form.getByLabel("Rule name").fill(rule.name);
  await form.getByLabel("Check").selectOption(rule.kind);
  for (const [label, value] of Object.entries(rule.fill)) await form.getByLabel(label).fill(value);
  await form.getByRole("button", { name: "Add rule" }).click();
  await ruleRow(page, rule.name).waitFor();
}

// A report type and a regulatory context over two lines (the browser sends the break as CRLF).
const context = {
  reportType: "FR Y-9C consolidated loans",
  regulatory: "Schedule HC-C: loans and leases.\nAmounts are reported in thousands of USD.",
};

describe("data profiling in the browser", () => {
  it("tester writes the rules, owner approves them, tester runs them and reads the results", async () => {
    // The tester starts the first version and writes two rules; the table says them in words.
    const tester = await openWorkspace("tester@example.com");
    await tester.getByRole("button", { name: "Create the first version" }).click();
    await tester.getByRole("form", { name: "Add a rule" }).waitFor();
    await addRule(tester, {
      attribute: "amount (amount, numeric)",
      name: "amount in range",
      kind: "range",
      fill: { Minimum: "0", Maximum: "1000000000" },
    });
    await addRule(tester, {
      attribute: "currency (currency, text)",
      name: "currency known",
      kind: "allowed_values",
      fill: { "Allowed values (comma-separated)": "USD, EUR" },
    });
    await expect(ruleRow(tester, "amount in range").innerText()).resolves.toContain(
      "amount between 0 and 1,000,000,000",
    );
    await expect(ruleRow(tester, "currency known").innerText()).resolves.toContain("currency is one of USD, EUR");

    // A rule the language refuses is refused by the database, in its words, and nothing is added.
    const form = tester.getByRole("form", { name: "Add a rule" });
    await form.getByLabel("Rule name").fill("amount reversed");
    await form.getByLabel("Check").selectOption("range");
    await form.getByLabel("Minimum").fill("10");
    await form.getByLabel("Maximum").fill("1");
    await expect(
      refusedOn(tester, form.getByRole("button", { name: "Add rule" }), "invalid_rule_definition"),
    ).resolves.toContain("min must not exceed max");
    await expect(ruleRow(tester, "amount reversed").count()).resolves.toBe(0);
    // So is a pattern PostgreSQL's regex compiler cannot compile: when it is saved, not when the rules run.
    await form.getByLabel("Rule name").fill("currency pattern");
    await form.getByLabel("Check").selectOption("regex");
    await form.getByLabel("Pattern", { exact: true }).fill("^[A-Z{3}$");
    await expect(
      refusedOn(tester, form.getByRole("button", { name: "Add rule" }), "invalid_rule_definition"),
    ).resolves.toContain("brackets [] not balanced");
    await expect(ruleRow(tester, "currency pattern").count()).resolves.toBe(0);
    // A name already taken for the attribute says so, with the name, rather than "please try again".
    await form.getByLabel("Attribute").selectOption({ label: "amount (amount, numeric)" });
    await form.getByLabel("Rule name").fill("amount in range");
    await form.getByLabel("Check").selectOption("not_null");
    await expect(refusedOn(tester, form.getByRole("button", { name: "Add rule" }), "already_exists")).resolves.toMatch(
      /That name is already taken[\s\S]*The name “amount in range” is already taken by another rule of this attribute/,
    );
    await expect(ruleRow(tester, "amount in range").count()).resolves.toBe(1);

    // Submitting before every rule has a tester decision is refused too.
    await refusedOn(tester, tester.getByRole("button", { name: "Submit for approval" }), "tester_decisions_missing");

    await tester.getByLabel("Notes of the tester on amount in range").fill("Amounts are never negative");
    await tester.getByRole("button", { name: "Approve amount in range" }).click();
    await ruleRow(tester, "amount in range").locator('[data-decision="tester"]', { hasText: "Approved" }).waitFor();
    await tester.getByRole("button", { name: "Approve currency known" }).click();
    await ruleRow(tester, "currency known").locator('[data-decision="tester"]', { hasText: "Approved" }).waitFor();
    await tester.getByRole("button", { name: "Submit for approval" }).click();
    await tester.getByRole("link", { name: /Version 1\s+…?\s*Awaiting approval/ }).waitFor();
    // Frozen for the tester now: no decisions, no new rules.
    await expect(tester.getByRole("button", { name: "Approve amount in range" }).count()).resolves.toBe(0);
    await expect(tester.getByRole("form", { name: "Add a rule" }).count()).resolves.toBe(0);
    await settle(tester);

    // The owner decides each rule; approving with a decision missing is refused.
    const owner = await openWorkspace("owner@example.com");
    await owner.getByRole("button", { name: "Approve amount in range" }).click();
    await ruleRow(owner, "amount in range").locator('[data-decision="owner"]', { hasText: "Approved" }).waitFor();
    // The home page counts the rule still waiting for the owner's decision, and the version to approve.
    await owner.goto("/");
    await expect(
      owner.locator(`[data-testid="cycle-report"][data-report="${fixture.reportName}"]`).innerText(),
    ).resolves.toContain("1 decision to make · 1 version to approve");
    expect(Number(await owner.getByTestId("awaiting-decisions").innerText())).toBeGreaterThanOrEqual(1);
    await owner.goto(`/cycle-reports/${fixture.cycleReportId}/profiling`);
    await owner.getByRole("heading", { level: 1, name: "Data profiling" }).waitFor();
    await refusedOn(owner, owner.getByRole("button", { name: "Approve version" }), "owner_decisions_missing");
    await owner.getByRole("button", { name: "Approve currency known" }).click();
    await ruleRow(owner, "currency known").locator('[data-decision="owner"]', { hasText: "Approved" }).waitFor();
    await owner.getByRole("button", { name: "Approve version" }).click();
    await owner.getByRole("link", { name: /Version 1\s+✓?\s*Approved/ }).waitFor();
    // Only the tester runs rules.
    await expect(owner.getByRole("button", { name: "Run rules" }).count()).resolves.toBe(0);
    await settle(owner);

    // The tester runs the rules and follows the progress bar to the end. The results table is locked
    // meanwhile, so the worker cannot finish before the page has polled the running job a few times.
    await tester.reload();
    const polls: string[] = [];
    tester.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith("/progress")) polls.push(request.url());
    });
    const progress = tester.getByRole("progressbar", { name: "Run progress" });
    await db.begin(async (tx) => {
      await tx`lock table public.profiling_rule_results in exclusive mode`;
      await tester.getByRole("button", { name: "Run rules" }).click();
      await progress.waitFor();
      await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(Number(await progress.getAttribute("aria-valuenow"))).toBeLessThan(100);
    });
    await expect.poll(() => progress.getAttribute("aria-valuenow"), { timeout: 30_000, interval: 250 }).toBe("100");

    const rate = (failed: number) => String(Math.round(((fixture.rows - failed) / fixture.rows) * 10000) / 100);
    const amountRate = tester.getByRole("meter", { name: "Pass rate of amount in range" });
    await amountRate.waitFor();
    await expect(amountRate.getAttribute("aria-valuenow")).resolves.toBe(rate(fixture.failing.amountOutOfRange));
    await expect(
      tester.getByRole("meter", { name: "Pass rate of currency known" }).getAttribute("aria-valuenow"),
    ).resolves.toBe(rate(fixture.failing.unknownCurrency));

    // The failed-row sample of a rule opens on demand.
    await tester.getByText(/^Failed rows of amount in range/).click();
    const sample = tester.getByRole("table", { name: "Failed rows of amount in range" });
    await sample.waitFor();
    await expect(sample.locator("tbody tr").count()).resolves.toBe(fixture.failing.amountOutOfRange);
    await expect(sample.innerText()).resolves.toContain("-1");
    // The table's columns in the table's order, the rule's column marked, dates as dates.
    await expect(sample.locator("thead th").allInnerTexts()).resolves.toEqual([
      "loan_id",
      "amount ◆",
      "currency",
      "opened_on",
    ]);
    await expect(sample.locator("thead th[data-rule-column]").innerText()).resolves.toBe("amount ◆");
    const opened = await sample.locator("tbody tr td:nth-child(4)").allInnerTexts();
    expect(
      opened.every((d) => /^2030-\d\d-\d\d$/.test(d)),
      opened.join(" "),
    ).toBe(true);

    // An anomaly needs a note; then it is marked with who and when.
    const result = tester.locator('li[data-result="currency known"]');
    await refusedOn(tester, result.getByRole("button", { name: "Mark as anomaly" }), "anomaly_note_required");
    await tester.getByLabel("Anomaly note for currency known").fill("GBP loans were migrated from the old book");
    await tester.locator('li[data-result="currency known"]').getByRole("button", { name: "Mark as anomaly" }).click();
    const mark = tester.locator('li[data-result="currency known"] [data-anomaly="marked"]');
    await mark.waitFor();
    await expect(mark.innerText()).resolves.toMatch(/GBP loans were migrated from the old book[\s\S]*Marked by/);

    // The export carries the same figures.
    const csv = await tester.request.get(
      (await tester.getByRole("link", { name: "Export results (CSV)" }).getAttribute("href"))!,
    );
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^rule,attribute,severity,passes_when,status,total,passed,failed,pass_rate/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      `amount in range,amount,medium,"amount between 0 and 1,000,000,000",completed,${fixture.rows}`,
    );
    expect(lines[2]).toContain("GBP loans were migrated from the old book");

    // Half the unknown currencies are corrected at the source; a second run is compared with the first.
    await db.unsafe(`update source_data.${fixture.table} set currency = 'USD' where loan_id % 20 = 3`);
    await tester.getByRole("button", { name: "Run rules" }).click();
    await tester.getByRole("table", { name: "Runs" }).locator("tbody tr").nth(1).waitFor();
    await expect.poll(() => progress.getAttribute("aria-valuenow"), { timeout: 30_000, interval: 250 }).toBe("100");
    const corrected = fixture.failing.unknownCurrency / 2;
    await expect
      .poll(() => tester.getByRole("meter", { name: "Pass rate of currency known" }).getAttribute("aria-valuenow"))
      .toBe(rate(corrected));
    await tester.getByRole("button", { name: "Compare" }).click();
    const changes = tester.getByRole("table", { name: "Pass-rate changes" });
    await changes.waitFor();
    const points = Number(rate(corrected)) - Number(rate(fixture.failing.unknownCurrency));
    await expect(changes.locator('tr[data-rule="currency known"]').innerText()).resolves.toMatch(
      new RegExp(`${rate(fixture.failing.unknownCurrency)}%\\s+${rate(corrected)}%\\s+▲ \\+${points} points`),
    );
    await expect(changes.locator('tr[data-rule="amount in range"]').innerText()).resolves.toContain("no change");
    await settle(tester);
  }, 120_000);

  it("tester writes a rule of every kind, each previewed in words, fixes a field, edits and removes a rule", async () => {
    const own = await createPlanningFixture(db);
    const tester = await newPage(browser);
    tester.setDefaultTimeout(10_000);
    await tester.goto(`/cycle-reports/${own.cycleReportId}/profiling`);
    await login(tester, "tester@example.com", password);
    await tester.getByRole("button", { name: "Create the first version" }).click();
    const form = tester.getByRole("form", { name: "Add a rule" });
    await form.waitFor();
    const preview = form.getByRole("status", { name: "Rule preview" });
    const kinds: { attribute: string; name: string; kind: string; fill?: Record<string, string>; says: string }[] = [
      {
        attribute: "currency (currency, text)",
        name: "currency not blank",
        kind: "not_blank",
        says: "currency is not blank",
      },
      {
        attribute: "opened_on (opened_on, date)",
        name: "opened in 2030",
        kind: "date_range",
        fill: { "Earliest date": "2030-01-01", "Latest date": "2030-12-31" },
        says: "opened_on between 2030-01-01 and 2030-12-31",
      },
      {
        attribute: "opened_on (opened_on, date)",
        name: "opened in the past",
        kind: "not_future_date",
        says: "opened_on is not in the future",
      },
      {
        attribute: "currency (currency, text)",
        name: "currency code length",
        kind: "length",
        fill: { "Shortest length": "3", "Longest length": "3" },
        says: "currency is exactly 3 characters long",
      },
      {
        attribute: "amount (amount, numeric)",
        name: "amount covers the id",
        kind: "compare_columns",
        says: "amount is at least loan_id",
      },
      {
        attribute: "amount (amount, numeric)",
        name: "amount condition",
        kind: "expression",
        fill: { Condition: "amount >= 0 and currency <> 'XXX'" },
        says: "amount >= 0 and currency <> 'XXX'",
      },
    ];
    for (const rule of kinds) {
      await form.getByLabel("Attribute").selectOption({ label: rule.attribute });
      await form.getByLabel("Rule name").fill(rule.name);
      await form.getByLabel("Check").selectOption(rule.kind);
      if (rule.kind === "compare_columns") {
        await form.getByLabel("Comparison").selectOption(">=");
        await form.getByLabel("Other column").selectOption("loan_id");
      }
      for (const [label, value] of Object.entries(rule.fill ?? {})) await form.getByLabel(label).fill(value);
      // The definition is said in words before the rule is added.
      await expect.poll(() => preview.innerText()).toBe(`Passes when: ${rule.says}`);
      await form.getByRole("button", { name: "Add rule" }).click();
      await ruleRow(tester, rule.name).waitFor();
    }
    const said = (name: string) => ruleRow(tester, name).locator("td").nth(2).innerText();
    await expect(said("opened in 2030")).resolves.toBe("opened_on between 2030-01-01 and 2030-12-31");
    await expect(said("amount covers the id")).resolves.toBe("amount is at least loan_id");
    await expect(said("amount condition")).resolves.toBe("(amount >= 0) and (currency <> 'XXX')");

    // A combined key: unique together with another column.
    await form.getByLabel("Attribute").selectOption({ label: "loan_id (loan_id, integer)" });
    await form.getByLabel("Rule name").fill("one loan per currency");
    await form.getByLabel("Check").selectOption("unique");
    await form.getByLabel("currency", { exact: true }).check();
    await expect.poll(() => preview.innerText()).toBe("Passes when: the combination of loan_id, currency is unique");
    await form.getByRole("button", { name: "Add rule" }).click();
    await ruleRow(tester, "one loan per currency").waitFor();

    // A bound that is not a number is said beside its field, in the browser, and nothing is sent.
    const posts: string[] = [];
    tester.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await form.getByLabel("Attribute").selectOption({ label: "amount (amount, numeric)" });
    await form.getByLabel("Rule name").fill("amount bounded");
    await form.getByLabel("Check").selectOption("range");
    await form.getByLabel("Minimum").fill("ten");
    await form.getByRole("button", { name: "Add rule" }).click();
    const minimum = form.getByLabel("Minimum");
    await expect(minimum.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = (await minimum.getAttribute("aria-describedby"))!;
    await expect(tester.locator(`[id="${describedBy}"]`).innerText()).resolves.toBe(
      "Write a number, e.g. 0 or 1250.5.",
    );
    expect(posts).toEqual([]);
    await minimum.fill("0");
    await form.getByLabel("Maximum").fill("100");
    await form.getByRole("button", { name: "Add rule" }).click();
    await ruleRow(tester, "amount bounded").waitFor();
    // The form starts afresh after the addition, without the error.
    await expect(form.locator("[data-field-error]").count()).resolves.toBe(0);

    // A rule of the draft is edited in the same form, its definition filled in.
    await tester.getByRole("link", { name: "Edit amount bounded" }).click();
    const edit = tester.getByRole("form", { name: "Edit amount bounded" });
    await expect(edit.getByLabel("Maximum").inputValue()).resolves.toBe("100");
    await edit.getByLabel("Maximum").fill("5000000");
    await edit.getByLabel("Upper bound excluded").check();
    await expect
      .poll(() => edit.getByRole("status", { name: "Rule preview" }).innerText())
      .toBe("Passes when: amount at least 0 and below 5,000,000");
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect.poll(() => said("amount bounded")).toBe("amount at least 0 and below 5,000,000");
    await expect(edit.count()).resolves.toBe(0);

    // Removing asks first, and names the rule.
    await ruleRow(tester, "currency code length").getByText("Remove", { exact: true }).click();
    await ruleRow(tester, "currency code length").getByRole("button", { name: "Remove currency code length" }).click();
    await expect.poll(() => ruleRow(tester, "currency code length").count()).toBe(0);
    await expect(rulesTable(tester).locator("tbody tr[data-rule]").count()).resolves.toBe(kinds.length + 1);
    await settle(tester);
  }, 90_000);

  it("tester has rules proposed for the draft and reviews them", async () => {
    const own = await createPlanningFixture(db);
    const tester = await newPage(browser);
    tester.setDefaultTimeout(10_000);
    await tester.goto(`/cycle-reports/${own.cycleReportId}/profiling`);
    await login(tester, "tester@example.com", password);
    await tester.getByRole("button", { name: "Create the first version" }).click();
    // The optional context for the model goes with the request.
    const generate = tester.getByRole("form", { name: "Generate rules with AI" });
    await generate.getByText("Context for the AI (optional)").click();
    await generate.getByLabel("Report type").fill(context.reportType);
    await generate.getByLabel("Regulatory context").fill(context.regulatory);
    await generate.getByRole("button", { name: "Generate with AI" }).click();
    const progress = tester.getByRole("progressbar", { name: "Generation progress" });
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute("aria-valuenow"), { timeout: 60_000, interval: 250 }).toBe("100");
    // The proposals arrive undecided, in the review table, each said in words.
    await expect.poll(() => rulesTable(tester).locator("tbody tr").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const proposed = await rulesTable(tester).locator('tbody [data-decision="tester"]').allInnerTexts();
    expect(proposed.every((text) => text.startsWith("Not decided"))).toBe(true);
    // Offline, the proposals come from the heuristic provider, and say so.
    await rulesTable(tester)
      .getByText(/^Proposed \(heuristic/)
      .first()
      .waitFor();
    // The summary says how many rules were proposed, by which provider, and the calls, tokens and cost.
    const summary = tester.getByRole("status", { name: "Generation summary" });
    const said = (await summary.innerText()).match(
      /^Proposed (\d+) rules? below · heuristic \(rules-v1\) · 1 call, 0 tokens, \$0\.00$/,
    );
    expect(said, await summary.innerText()).not.toBeNull();
    expect(Number(said![1])).toBe(await rulesTable(tester).locator("tbody tr[data-rule]").count());
    // The job was asked with the context, and the provider was shown it.
    await expect(generationContext(db, new URL(tester.url()).searchParams.get("generation")!)).resolves.toEqual({
      report_type: context.reportType,
      regulatory_context: context.regulatory,
      shown: true,
    });
    // It stays with the draft once the page has moved on from the job.
    await tester.goto(`/cycle-reports/${own.cycleReportId}/profiling`);
    await expect(summary.innerText()).resolves.toBe(said![0]);
    await settle(tester);
  }, 90_000);
});
