// Scoping through supabase-js, as the tester and the report owner: recommendations from the offline provider (a
// generation job, recorded in llm_interactions), decisions with the policy's refusals, bulk decisions, review,
// a new version that carries the owner's approvals, approval; then profiling may use only attributes in scope.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedIn, signIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { requiredEnv } from "../support/env.ts";
import { createScopingCycleReport, type ScopingCycleReport } from "../support/scoping-fixture.ts";
import { waitFor } from "../support/wait.ts";

const TESTER = "tester@example.com";
const OWNER = "owner@example.com";

let sql: postgres.Sql;
let cr: ScopingCycleReport;
let tester: SignedIn;
let owner: SignedIn;

interface Decision {
  id: string;
  attribute_id: string;
  in_scope: boolean;
  risk_rating: string | null;
  testing_approach: string | null;
  rationale: string | null;
  recommended_in_scope: boolean | null;
  recommendation_reason: string | null;
  recommendation_provider: string | null;
  tester_decision: string | null;
  report_owner_decision: string | null;
  item_status: string;
  attribute_change: string | null;
  planning_attributes: { name: string };
}

async function decisions(who: SignedIn, versionId: string): Promise<Map<string, Decision>> {
  const { data, error } = await who.client
    .from("scoping_decisions")
    .select("*, planning_attributes(name)")
    .eq("version_id", versionId);
  if (error) throw error;
  return new Map((data as Decision[]).map((d) => [d.planning_attributes.name, d]));
}

async function generation(path: string, who: SignedIn, body?: unknown): Promise<Response> {
  return await fetch(`${requiredEnv("SUPABASE_URL")}/functions/v1/generation${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      apikey: requiredEnv("SUPABASE_ANON_KEY"),
      Authorization: `Bearer ${who.token}`,
      "Content-Type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  sql = connect();
  cr = await createScopingCycleReport(sql, { testerEmail: TESTER, ownerEmail: OWNER });
  tester = await signIn(TESTER);
  owner = await signIn(OWNER);
});
afterAll(() => sql.end());

describe("scoping through the API", () => {
  let v1: string;
  let v2: string;

  it("a new scoping draft holds one decision per approved planning attribute", async () => {
    const { data, error } = await tester.client
      .rpc("create_version", { p_phase_id: Number(cr.phases.scoping) })
      .single<{ id: string; item_count: number; based_on_version_id: string }>();
    expect(error).toBeNull();
    expect(data).toMatchObject({ item_count: 6, based_on_version_id: cr.planningVersionId });
    v1 = data!.id;
    const rows = await decisions(tester, v1);
    expect([...rows.keys()].sort()).toEqual(["Amount", "Branch", "Loan id", "Note", "Rating", "Region"]);
    expect([...rows.values()].every((d) => d.in_scope && d.item_status === "pending")).toBe(true);
  });

  it("the offline provider recommends in or out, risk and approach, recorded like any generation", async () => {
    const response = await generation(`/versions/${v1}/scoping`, tester, {});
    expect(response.status).toBe(202);
    const { job_id: jobId } = (await response.json()) as { job_id: string };
    const job = await waitFor(
      async () => (await (await generation(`/jobs/${jobId}`, tester)).json()) as { status: string; result: unknown },
      (j) => j.status === "completed" || j.status === "failed",
    );
    expect(job).toMatchObject({
      status: "completed",
      result: {
        kind: "scoping_recommendations",
        provider: "heuristic",
        calls: 1,
        cost_usd: 0,
        proposed: { recommendations: 6, in_scope: 4, out_of_scope: 2 },
      },
    });
    const rows = await decisions(tester, v1);
    const summary = Object.fromEntries(
      [...rows].map(([name, d]) => [name, [d.recommended_in_scope, d.in_scope, d.risk_rating, d.testing_approach]]),
    );
    // S1–S7 of docs/llm.md: the policy keeps the primary key, the CDE, the regulatory and the high-risk attribute in scope.
    expect(summary).toEqual({
      "Loan id": [true, true, "low", "data_quality_rules"],
      Amount: [true, true, "medium", "both"],
      Region: [true, true, "medium", "both"],
      Rating: [true, true, "high", "both"],
      Branch: [false, false, "low", null],
      Note: [false, false, "low", null],
    });
    expect(rows.get("Amount")!.recommendation_reason).toMatch(/critical data element/);
    expect(rows.get("Branch")!.rationale).toBe(rows.get("Branch")!.recommendation_reason);
    const [interaction] =
      await sql`select purpose, provider, status from public.llm_interactions where job_id = ${jobId}`;
    expect(interaction).toEqual({ purpose: "scoping_recommendations", provider: "heuristic", status: "completed" });

    const again = await generation(`/versions/${v1}/scoping`, tester, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "nothing_to_generate" });
  });

  it("refuses decisions that break the policy or lack a rationale, with coded 4xx and nothing changed", async () => {
    const rows = await decisions(tester, v1);
    const out = await tester.client
      .from("scoping_decisions")
      .update({ in_scope: false, rationale: "not needed" })
      .eq("id", rows.get("Amount")!.id);
    expect(out.status).toBe(409);
    expect(out.error).toMatchObject({ code: "PT409", details: "scoping_policy_requires_in_scope" });
    const override = await tester.client
      .from("scoping_decisions")
      .update({ in_scope: true })
      .eq("id", rows.get("Note")!.id);
    expect(override.status).toBe(400);
    expect(override.error).toMatchObject({ details: "scoping_override_rationale_required" });
    const byOwner = await owner.client
      .from("scoping_decisions")
      .update({ risk_rating: "high" })
      .eq("id", rows.get("Note")!.id);
    expect(byOwner.status).toBe(403);
    const after = await decisions(tester, v1);
    expect([after.get("Amount")!.in_scope, after.get("Note")!.in_scope, after.get("Note")!.risk_rating]).toEqual([
      true,
      false,
      "low",
    ]);
  });

  it("the tester brings one in with a reason, bulk-approves and submits; the owner rejects one decision", async () => {
    const rows = await decisions(tester, v1);
    const note = await tester.client
      .from("scoping_decisions")
      .update({ in_scope: true, testing_approach: "sample_testing", rationale: "Free text the regulator reads" })
      .eq("id", rows.get("Note")!.id);
    expect(note.error).toBeNull();
    const bulk = await tester.client.rpc("decide_items", {
      p_version_id: v1,
      p_item_table: "public.scoping_decisions",
      p_item_ids: [...rows.values()].map((d) => d.id),
      p_side: "tester",
      p_decision: "approved",
    });
    expect(bulk).toMatchObject({ error: null, data: 6 });
    expect((await tester.client.rpc("submit_version", { p_version_id: v1 })).error).toBeNull();

    const ids = [...rows.values()].filter((d) => d.planning_attributes.name !== "Branch").map((d) => d.id);
    const approve = await owner.client.rpc("decide_items", {
      p_version_id: v1,
      p_item_table: "public.scoping_decisions",
      p_item_ids: ids,
      p_side: "report_owner",
      p_decision: "approved",
    });
    expect(approve).toMatchObject({ error: null, data: 5 });
    const reject = await owner.client
      .from("scoping_decisions")
      .update({ report_owner_decision: "rejected", report_owner_notes: "Branch feeds schedule RC-B" })
      .eq("id", rows.get("Branch")!.id);
    expect(reject.error).toBeNull();
    const rejected = await owner.client.rpc("reject_version", { p_version_id: v1, p_reason: "Branch must be tested" });
    expect(rejected.error).toBeNull();
  });

  it("a new version keeps the owner's approvals; the tester revises the one rejected, the owner approves", async () => {
    const { data, error } = await tester.client
      .rpc("create_version", { p_phase_id: Number(cr.phases.scoping), p_parent_version_id: v1 })
      .single<{ id: string; approved_count: number }>();
    expect(error).toBeNull();
    expect(data!.approved_count).toBe(5);
    v2 = data!.id;
    const rows = await decisions(tester, v2);
    expect(rows.get("Branch")).toMatchObject({
      item_status: "pending",
      tester_decision: null,
      attribute_change: "unchanged",
    });
    expect(rows.get("Note")).toMatchObject({ item_status: "approved", in_scope: true });

    const branch = rows.get("Branch")!.id;
    expect(
      (
        await tester.client
          .from("scoping_decisions")
          .update({ in_scope: true, testing_approach: "sample_testing", rationale: "Feeds schedule RC-B" })
          .eq("id", branch)
      ).error,
    ).toBeNull();
    expect(
      (await tester.client.from("scoping_decisions").update({ tester_decision: "approved" }).eq("id", branch)).error,
    ).toBeNull();
    expect((await tester.client.rpc("submit_version", { p_version_id: v2 })).error).toBeNull();
    expect(
      (await owner.client.from("scoping_decisions").update({ report_owner_decision: "approved" }).eq("id", branch))
        .error,
    ).toBeNull();
    const approved = await owner.client
      .rpc("approve_version", { p_version_id: v2 })
      .single<{ version_status: string }>();
    expect(approved.error).toBeNull();
    expect(approved.data!.version_status).toBe("approved");
  });

  it("every attribute is now in scope, and profiling may use them", async () => {
    const [{ ids }] = await sql<[{ ids: string[] }]>`
      select array_agg(i order by i) as ids from private.in_scope_attribute_ids(${cr.cycleReportId}) i`;
    expect(ids).toEqual(Object.values(cr.attributes).sort());
  });
});
