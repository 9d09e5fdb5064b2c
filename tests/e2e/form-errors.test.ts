// A form's mistakes are said beside their fields (aria-invalid, aria-describedby), before anything is sent; the
// banner stays for the database's refusals.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStartedCycleReport } from "../support/cycle-report-fixture";
import { connect } from "../support/db";
import { launchBrowser, login, newPage } from "./support/browser";

let browser: Browser;
let sql: postgres.Sql;
let cycleReportId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  sql = connect();
  const suffix = randomBytes(4).toString("hex");
  cycleReportId = await sql.begin(async (tx) => {
    const { cycleReportId: id, phases } = await createStartedCycleReport(tx, {
      reportName: `Forms ${suffix}`,
      regulation: "Reg F",
      cycleName: `Cycle ${suffix}`,
      period: ["2031-01-01", "2031-03-31"],
      ownerEmail: "owner@example.com",
      testerEmail: "tester@example.com",
    });
    await tx`select public.create_version(${phases.planning!})`;
    return id;
  });
});

afterAll(async () => {
  await browser?.close();
  await sql?.end();
});

describe("form errors", () => {
  it("a bad field shows its error beside the field, marked aria-invalid, and nothing is sent", async () => {
    const page = await newPage(browser);
    await login(page, "tester@example.com", "demo-password");
    await page.goto(`/cycle-reports/${cycleReportId}/planning`);
    await page.locator("summary", { hasText: "Add an attribute" }).click();
    const form = page.getByRole("form", { name: "Add an attribute" });
    await form.getByLabel("Max length").fill("-3");
    let posted = false;
    page.on("request", (request) => {
      if (request.method() === "POST") posted = true;
    });
    await form.getByRole("button", { name: "Add attribute" }).click();

    const name = form.getByLabel("Attribute name");
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await name.getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${describedBy}"]`).innerText()).resolves.toBe("Give the attribute a name.");
    const maxLength = form.getByLabel("Max length");
    expect(await maxLength.getAttribute("aria-invalid")).toBe("true");
    const maxDescribedBy = (await maxLength.getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${maxDescribedBy}"]`).innerText()).resolves.toBe("Max length must be positive.");
    // The first wrong field has the focus; the valid ones are not marked; no banner, no request.
    await expect(name.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await form.getByLabel("Transformation rule").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(posted).toBe(false);

    // Corrected, the form is sent and the attribute added.
    await name.fill("Balance");
    await maxLength.fill("");
    await form.getByRole("button", { name: "Add attribute" }).click();
    await page.locator('tbody[data-attribute="Balance"]').waitFor();
  }, 60_000);
});
