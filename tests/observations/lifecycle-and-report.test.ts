// Observations and the test report through supabase-js, as the tester, the report owner and a remediation owner
// would do it over the REST API: a failed test proposes a draft observation linked to it; the tester raises it,
// the owner responds and names a remediation owner from another team, who plans and asks for validation; the
// tester validates, closes and reopens it (the status follows the history); phase 8 completes once every
// observation is answered; the test report is generated, concluded, signed, submitted and approved by the owner,
// which completes the cycle report and freezes it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createObservationFixture, type ObservationFixture } from "../support/observation-fixture.ts";

const sql = connect();
let f: ObservationFixture;
let tester: SignedIn;
let owner: SignedIn;
let remediator: SignedIn;
let observationId = "";
let phases: Record<string, number> = {};

beforeAll(async () => {
  f = await createObservationFixture(sql, {
    rows: 20,
    samples: 4,
    attributes: [
      ["Loan id", "loan_id", "internal"],
      ["Amount", "amount", "internal"],
    ],
  });
  phases = f.phases;
  [tester, owner, remediator] = await Promise.all([
    signIn(f.testerEmail),
    signIn(f.ownerEmail),
    signIn("owner2@example.com"),
  ]);
}, 180_000);

afterAll(async () => {
  await sql.end();
});

async function move(who: SignedIn, to: string, comment: string) {
  return await who.client.rpc("move_observation", {
    p_observation_id: observationId,
    p_to_status: to,
    p_comment: comment,
  });
}

describe("an observation from a failed test to closed, and the signed test report", () => {
  it("the failures of one attribute propose one draft linked to them", async () => {
    const proposed = await tester.client.rpc("propose_observations", { p_cycle_report_id: f.cycleReportId });
    expect(proposed.error).toBeNull();
    expect(proposed.data).toHaveLength(1);
    observationId = proposed.data[0].id;
    expect(proposed.data[0]).toMatchObject({ title: "Amount: 2 failed tests", status: "draft" });
    const evidence = await tester.client
      .from("observation_evidence")
      .select("kind, test_cases(result, attribute_name)")
      .eq("observation_id", observationId);
    expect(evidence.error).toBeNull();
    expect(evidence.data).toHaveLength(2);
    expect(evidence.data!.every((e) => e.kind === "failed_test")).toBe(true);
  });

  it("each role makes only its own moves", async () => {
    expect((await move(owner, "open", "Raised")).error).toMatchObject({ code: "PT403" });
    expect((await move(tester, "open", "")).error).toMatchObject({ code: "PT400" });
    expect((await move(tester, "open", "Two loans misstated")).data.status).toBe("open");
    const forged = await tester.client.from("observations").update({ owner_response: "ok" }).eq("id", observationId);
    expect(forged.error).toMatchObject({ code: "PT403", details: "owner_response_requires_report_owner" });
    const [owner2] = await sql<[{ id: string }]>`select id from public.profiles where email = 'owner2@example.com'`;
    const answered = await owner.client
      .from("observations")
      .update({ owner_response: "Agreed", remediation_owner_id: owner2.id, due_date: "2027-01-31" })
      .eq("id", observationId);
    expect(answered.error).toBeNull();
    expect((await move(owner, "responded", "See the response")).data.status).toBe("responded");
  });

  it("the remediation owner, not on the cycle report, plans and asks for validation", async () => {
    const seen = await remediator.client
      .from("observations")
      .select("id, status")
      .eq("cycle_report_id", f.cycleReportId);
    expect(seen.data).toEqual([{ id: observationId, status: "responded" }]);
    expect((await move(remediator, "remediating", "Starting")).error).toMatchObject({
      code: "PT409",
      details: "remediation_plan_required",
    });
    await remediator.client
      .from("observations")
      .update({ remediation_plan: "Restate the cut-off" })
      .eq("id", observationId);
    expect((await move(remediator, "remediating", "Plan agreed")).data.status).toBe("remediating");
    expect((await move(remediator, "pending_validation", "Restated")).data.status).toBe("pending_validation");
    expect((await move(remediator, "validated", "Fine")).error).toMatchObject({ code: "PT403" });
  });

  it("the tester validates, closes and reopens; the status is the history's latest move", async () => {
    await tester.client
      .from("observations")
      .update({ validation_evidence: "Re-tested: match" })
      .eq("id", observationId);
    expect((await move(tester, "validated", "Checked")).data.status).toBe("validated");
    expect((await move(tester, "closed", "Fixed")).data.status).toBe("closed");
    expect((await move(tester, "reopened", "Sample differs again")).data.status).toBe("reopened");
    const history = await owner.client
      .from("observation_history")
      .select("to_status, actor")
      .eq("observation_id", observationId)
      .order("id");
    expect(history.data!.map((h) => h.to_status)).toEqual([
      "draft",
      "open",
      "responded",
      "remediating",
      "pending_validation",
      "validated",
      "closed",
      "reopened",
    ]);
    const direct = await tester.client.from("observations").update({ status: "closed" }).eq("id", observationId);
    expect(direct.error).toMatchObject({ code: "42501" });
  });

  it("phase 8 completes only when every observation is answered", async () => {
    const early = await tester.client.rpc("complete_phase", { p_phase_id: phases.observation_mgmt });
    expect(early.error).toMatchObject({ code: "PT409", details: "observations_unanswered" });
    expect((await move(owner, "responded", "Restating again")).data.status).toBe("responded");
    const done = await tester.client.rpc("complete_phase", { p_phase_id: phases.observation_mgmt });
    expect(done.error).toBeNull();
    expect(done.data.status).toBe("completed");
  });

  it("the test report is generated, signed, submitted and approved by the owner, completing the cycle report", async () => {
    expect((await tester.client.rpc("start_phase", { p_phase_id: phases.test_report })).error).toBeNull();
    const created = await tester.client.rpc("create_version", { p_phase_id: phases.test_report });
    expect(created.error).toBeNull();
    const versionId = created.data.id as string;
    const report = await tester.client.from("test_reports").select("*").eq("version_id", versionId).single();
    expect(report.data.content.test_results.attributes).toContainEqual(
      expect.objectContaining({ attribute: "Amount", tested: 4, passed: 2, failed: 2 }),
    );
    expect(report.data.content.observations.by_severity).toEqual({ critical: 0, high: 0, medium: 1, low: 0 });
    const forged = await tester.client.from("test_reports").update({ content: {} }).eq("version_id", versionId);
    expect(forged.error).toMatchObject({ code: "42501" });
    await tester.client
      .from("test_reports")
      .update({ conclusion: "Fairly stated but for Amount." })
      .eq("version_id", versionId);
    await tester.client.from("test_reports").update({ tester_decision: "approved" }).eq("version_id", versionId);
    const submitted = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(submitted.error).toBeNull();
    const approved = await owner.client.rpc("approve_version", { p_version_id: versionId });
    expect(approved.error).toBeNull();
    const cycleReport = await owner.client.from("cycle_reports").select("status").eq("id", f.cycleReportId).single();
    expect(cycleReport.data!.status).toBe("completed");
    const late = await move(remediator, "remediating", "More");
    expect(late.error).toMatchObject({ code: "PT409", details: "cycle_report_completed" });
  });
});
