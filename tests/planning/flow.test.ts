// The whole planning flow through the public API, as tester@ and owner@: a version of a planning phase,
// a CSV source through the edge function, attributes mapped to its columns, PDE mappings (one approved by the
// default auto-approval rule), decisions, submit, the owner's approval, and the phase completing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, draftPlanningVersion, serviceClient, type SignedIn, signIn, upload } from "./support.ts";

let tester: SignedIn;
let owner: SignedIn;
let versionId: string;
let phaseId: number;

beforeAll(async () => {
  [tester, owner] = await Promise.all([signIn("tester@example.com"), signIn("owner@example.com")]);
  ({ versionId, planningPhaseId: phaseId } = await draftPlanningVersion(tester, "flow"));
});

afterAll(async () => {
  await db.end();
});

describe("planning end to end", () => {
  let sourceId: string;
  const attributeIds: Record<string, string> = {};

  it("the tester uploads the report's source file", async () => {
    const csv = "Account ID,Balance,Opened\n1001,2500.50,2024-01-31\n1002,,2024-02-29\n1003,99.99,2024-03-01\n";
    const { status, body } = await upload(tester.token, versionId, "Loans extract", csv);
    expect(status).toBe(201);
    expect(body).toMatchObject({ source_type: "file_upload", status: "ready", row_count: 3, version_id: versionId });
    sourceId = body.id as string;
    const columns = (
      body.schema as { columns: { name: string; originalName: string; type: string; nullCount: number }[] }
    ).columns;
    expect(columns.map((c) => [c.name, c.originalName, c.type])).toEqual([
      ["account_id", "Account ID", "integer"],
      ["balance", "Balance", "numeric"],
      ["opened", "Opened", "date"],
    ]);
    expect(columns[1]!.nullCount).toBe(1);
  });

  it("the tester adds attributes mapped to the source's columns, and a wrong column is refused", async () => {
    const { data, error } = await tester.client
      .from("planning_attributes")
      .insert([
        {
          version_id: versionId,
          name: "Account ID",
          data_type: "integer",
          is_primary_key: true,
          is_mandatory: true,
          is_cde: true,
          information_security_classification: "internal",
          data_source_id: sourceId,
          source_column: "account_id",
        },
        {
          version_id: versionId,
          name: "Balance",
          data_type: "decimal",
          is_primary_key: false,
          is_mandatory: true,
          is_cde: true,
          information_security_classification: "confidential",
          data_source_id: sourceId,
          source_column: "balance",
        },
      ])
      .select("id, name");
    expect(error).toBeNull();
    for (const row of data!) attributeIds[row.name] = row.id;

    const wrong = await tester.client.from("planning_attributes").insert({
      version_id: versionId,
      name: "Rate",
      data_type: "decimal",
      data_source_id: sourceId,
      source_column: "rate",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.error).toMatchObject({ code: "PT400", details: "source_column_not_in_schema" });
  });

  it("a tester cannot claim an LLM's confidence for a mapping", async () => {
    const forged = await tester.client
      .from("planning_pde_mappings")
      .insert({
        version_id: versionId,
        attribute_id: attributeIds["Account ID"],
        pde_name: "Forged",
        pde_code: "FORGED",
        classification: { information_security: "public" },
        llm_metadata: { confidence_score: 1 },
      })
      .select("auto_approved");
    expect(forged.status).toBe(403);
    expect(forged.error).toMatchObject({ code: "PT403", details: "llm_metadata_written_by_generation" });
    const [{ count }] = await db<[{ count: number }]>`
      select count(*)::int as count from public.planning_pde_mappings where version_id = ${versionId} and pde_code = 'FORGED'`;
    expect(count).toBe(0);
  });

  it("mappings stored by the generation function get a risk score, and a confident public one is auto-approved", async () => {
    // The generation function stores its proposals as the service_role.
    const { data, error } = await serviceClient()
      .from("planning_pde_mappings")
      .insert([
        {
          version_id: versionId,
          attribute_id: attributeIds["Balance"],
          pde_name: "Outstanding balance",
          pde_code: "BAL_001",
          is_primary: true,
          classification: { criticality: "high", risk_level: "high", information_security: "confidential" },
          llm_metadata: { confidence_score: 0.95 },
        },
        {
          version_id: versionId,
          attribute_id: attributeIds["Account ID"],
          pde_name: "Account number",
          pde_code: "ACC_001",
          is_primary: true,
          classification: { criticality: "low", risk_level: "low", information_security: "public" },
          llm_metadata: { confidence_score: 0.92 },
        },
      ])
      .select("pde_code, risk_score, auto_approved, tester_decision, item_status")
      .order("pde_code");
    expect(error).toBeNull();
    expect(data).toEqual([
      { pde_code: "ACC_001", risk_score: 2, auto_approved: true, tester_decision: "approved", item_status: "approved" },
      { pde_code: "BAL_001", risk_score: 9, auto_approved: false, tester_decision: null, item_status: "pending" },
    ]);
  });

  it("submit waits for a decision on every item; the owner cannot decide for the tester", async () => {
    const early = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(early.error).toMatchObject({ code: "PT409", details: "tester_decisions_missing" });

    const byOwner = await owner.client
      .from("planning_attributes")
      .update({ tester_decision: "approved" })
      .eq("version_id", versionId);
    expect(byOwner.error).toMatchObject({ code: "PT403", details: "tester_decision_requires_tester" });

    for (const table of ["planning_attributes", "planning_pde_mappings", "planning_data_sources"]) {
      const { error } = await tester.client
        .from(table)
        .update({ tester_decision: "approved", tester_notes: "Checked against the source" })
        .eq("version_id", versionId)
        .is("tester_decision", null);
      expect(error).toBeNull();
    }
    const summary = await tester.client
      .from("artifact_versions")
      .select("item_count, tester_decided_count, planning_version_summaries(*)")
      .eq("id", versionId)
      .single();
    expect(summary.error).toBeNull();
    expect(summary.data).toMatchObject({
      item_count: 5,
      tester_decided_count: 5,
      planning_version_summaries: {
        data_sources: 1,
        total_attributes: 2,
        approved_attributes: 2,
        pk_attributes: 1,
        cde_attributes: 2,
        mandatory_attributes: 2,
        total_mappings: 2,
        approved_mappings: 2,
        auto_approved_mappings: 1,
      },
    });

    const submitted = await tester.client.rpc("submit_version", { p_version_id: versionId });
    expect(submitted.error).toBeNull();
    expect(submitted.data).toMatchObject({ version_status: "pending_approval" });
  });

  it("the owner approves the version and the tester completes planning", async () => {
    const selfApproval = await tester.client.rpc("approve_version", { p_version_id: versionId });
    expect(selfApproval.error).toMatchObject({ code: "PT403", details: "approve_requires_report_owner" });

    const approved = await owner.client.rpc("approve_version", { p_version_id: versionId });
    expect(approved.error).toBeNull();
    expect(approved.data).toMatchObject({ version_status: "approved", approved_by: owner.userId });

    const frozen = await tester.client
      .from("planning_attributes")
      .update({ description: "late" })
      .eq("version_id", versionId);
    expect(frozen.error).toMatchObject({ code: "PT409", details: "version_not_draft" });

    // Every planning activity is proven by the approved version: nothing is left to tick by hand.
    const activities = await tester.client
      .from("workflow_activities")
      .select("activity_code, status")
      .eq("phase_id", phaseId)
      .order("activity_order");
    expect(activities.data).toEqual([
      { activity_code: "load_attributes", status: "completed" },
      { activity_code: "map_data_sources", status: "completed" },
      { activity_code: "review_attributes", status: "completed" },
    ]);
    const completed = await tester.client.rpc("complete_phase", { p_phase_id: phaseId });
    expect(completed.error).toBeNull();
    expect(completed.data).toMatchObject({ status: "completed" });
  });
});
