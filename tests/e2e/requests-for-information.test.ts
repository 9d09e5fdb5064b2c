// Requests for information in the browser: the same pages as the data request, asking for evidence of each
// chosen sample × attribute; the data provider reads the sample's key and answers with a file.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequestInfoCycleReport, type RequestInfoFixture } from "../support/request-fixture";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => {} });
let browser: Browser;
let f: RequestInfoFixture;
const tester = { email: `rfi-tester-${randomUUID()}@regtest.test`, password: `pw-${randomUUID()}` };
const provider = { email: `rfi-provider-${randomUUID()}@regtest.test`, password: `pw-${randomUUID()}` };
const providerName = `Evi Provider ${randomUUID().slice(0, 8)}`;
const soon = { timeout: 15_000 };

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = createClient(requiredEnv("SUPABASE_URL"), requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (const [user, name] of [
    [tester, "Rafa Tester"],
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
  f = await createRequestInfoCycleReport(db, {
    testerEmail: tester.email,
    ownerEmail: "owner@example.com",
    attributes: ["Amount", "Maturity"],
    samples: ["L0007", "L0042"],
  });
});

afterAll(async () => {
  await browser?.close();
  await db.end();
});

describe("requests for information", () => {
  it("asks for evidence of a sample × attribute and takes the provider's file", async () => {
    const testerPage = await newPage(browser);
    await login(testerPage, tester.email, tester.password);
    await testerPage.goto(`/cycle-reports/${f.cycleReportId}/requests/request_info`);
    const create = testerPage.getByRole("form", { name: "New requests" });
    await create.getByLabel("Amount").check();
    await create.getByLabel("L0042").check();
    await create.getByLabel("Data provider").selectOption({ label: providerName });
    await create.getByLabel("Due date").fill("2030-03-01");
    await create.getByLabel(/^Title/).fill("Evidence");
    await create.getByRole("button", { name: "Create and send" }).click();
    await expect
      .poll(() => testerPage.getByRole("table", { name: "Requests" }).locator('[data-status="sent"]').count(), soon)
      .toBe(1);

    const providerPage = await newPage(browser);
    await login(providerPage, provider.email, provider.password);
    await providerPage.getByRole("link", { name: "Evidence: Amount" }).click();
    await expect(providerPage.getByRole("list", { name: "Items" }).innerText()).resolves.toContain(
      "Amount · sample L0042",
    );
    const form = providerPage.getByRole("form", { name: "Your response" });
    await form.getByLabel("Answer").fill("The signed loan agreement.");
    await form
      .getByLabel(/^Files/)
      .setInputFiles([
        { name: "agreement.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
      ]);
    await form.getByRole("button", { name: "Send response" }).click();
    await expect
      .poll(() => providerPage.locator("[data-status]").first().getAttribute("data-status"), soon)
      .toBe("responded");
    const [row] = await db<[{ sample_label: string; files: number }]>`
      select i.sample_label, (select count(*)::int from public.request_files x where x.request_id = r.id) as files
        from public.requests r join public.request_items i on i.request_id = r.id
       where r.cycle_report_id = ${f.cycleReportId} and r.phase_name = 'request_info'`;
    expect(row).toEqual({ sample_label: "L0042", files: 1 });
    await testerPage.waitForLoadState("networkidle");
    await providerPage.waitForLoadState("networkidle");
  }, 90_000);
});
