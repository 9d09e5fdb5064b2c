// A remediation owner outside the cycle report's assignment (here a data provider) finds the observations they must
// remediate on their home page, opens each on the observations page, which shows only theirs and the moves they may
// make, and plans and starts the remediation through the app. Row-level security is as before: the cycle report
// itself, its other observations and other cycle reports stay closed to them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, signInOverHttp } from "../support/app-http.ts";
import { demoPassword, signIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createObservationFixture, type ObservationFixture } from "../support/observation-fixture.ts";

const sql = connect(2);
let f: ObservationFixture;
let cookie = "";
let observationId = "";
let otherId = "";

async function get(path: string) {
  return await fetch(`${appEnv().appUrl}${path}`, { headers: { cookie }, redirect: "manual" });
}

beforeAll(async () => {
  f = await createObservationFixture(sql, {
    rows: 20,
    samples: 4,
    attributes: [
      ["Loan id", "loan_id", "internal"],
      ["Amount", "amount", "internal"],
    ],
  });
  const [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
  const proposed = await tester.client.rpc("propose_observations", { p_cycle_report_id: f.cycleReportId });
  observationId = proposed.data[0].id;
  const other = await tester.client
    .from("observations")
    .insert({ cycle_report_id: f.cycleReportId, title: "Not theirs", severity: "low" })
    .select("id")
    .single();
  otherId = other.data!.id;
  await tester.client.rpc("move_observation", {
    p_observation_id: observationId,
    p_to_status: "open",
    p_comment: "Raised",
  });
  const [provider] = await sql<[{ id: string }]>`select id from public.profiles where email = 'provider@example.com'`;
  const answered = await owner.client
    .from("observations")
    .update({ owner_response: "Agreed", remediation_owner_id: provider.id, due_date: "2020-01-31" })
    .eq("id", observationId);
  expect(answered.error).toBeNull();
  await owner.client.rpc("move_observation", {
    p_observation_id: observationId,
    p_to_status: "responded",
    p_comment: "Yes",
  });
  ({ cookie } = await signInOverHttp("provider@example.com", demoPassword));
}, 180_000);

afterAll(async () => {
  await sql.end();
});

describe("a remediation owner outside the assignment", () => {
  it("finds the observations to remediate on the home page, overdue ones flagged", async () => {
    const response = await get("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Observations to remediate");
    expect(html).toContain(`/cycle-reports/${f.cycleReportId}/observations?observation=${observationId}`);
    expect(html).toContain("Amount: 2 failed tests");
    expect(html).toContain("overdue");
    expect(html).not.toContain("Not theirs");
  });

  it("opens the observation and sees only what they may do", async () => {
    const response = await get(`/cycle-reports/${f.cycleReportId}/observations?observation=${observationId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-testid="remediation-owner-note"');
    expect(html).toContain("Start remediation");
    expect(html).toContain("Edit remediation plan");
    expect(html).not.toContain("Not theirs");
    expect(html).not.toContain("Propose from failed tests");
    expect(html).not.toContain("Edit owner response");
    expect(html).not.toContain(`href="/cycle-reports/${f.cycleReportId}"`);
  });

  it("plans and starts the remediation through the page", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${appEnv().appUrl}/cycle-reports/${f.cycleReportId}/observations?observation=${observationId}`, {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie,
          origin: new URL(appEnv().appUrl).origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(body),
      });
    const planned = await post({
      intent: "edit",
      observation_id: observationId,
      field: "remediation_plan",
      value: "Fix the feed",
    });
    expect(planned.status).toBe(302);
    const moved = await post({
      intent: "move",
      observation_id: observationId,
      to_status: "remediating",
      comment: "Started",
    });
    expect(moved.status).toBe(302);
    const [row] = await sql<[{ status: string; remediation_plan: string }]>`
      select status, remediation_plan from public.observations where id = ${observationId}`;
    expect(row).toEqual({ status: "remediating", remediation_plan: "Fix the feed" });
    const foreign = await post({ intent: "move", observation_id: otherId, to_status: "open", comment: "Not mine" });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(foreign.status).toBeLessThan(500);
  });

  it("still reads nothing else of the cycle report, nor other cycle reports", async () => {
    expect((await get(`/cycle-reports/${f.cycleReportId}`)).status).toBe(404);
    expect((await get(`/cycle-reports/${f.cycleReportId}/report`)).status).toBe(404);
    const [elsewhere] = await sql<
      [{ id: number }]
    >`select min(id)::int as id from public.cycle_reports where id <> ${f.cycleReportId}`;
    expect((await get(`/cycle-reports/${elsewhere.id}/observations`)).status).toBe(404);
  });
});
