// Segregation of duties and the end of access, through the REST API as an admin and the people concerned: the
// issue's attack (an admin turns a report's owner into its tester; a tester who decided a version's items is made
// its owner and approves) is refused, and an unassigned tester no longer reads the cycle report's logs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCycleReport,
  createUser,
  db,
  signIn,
  type Client,
  type CycleReportFixture,
  type TestUser,
} from "./support/fixtures";

let admin: Client;
let owner: TestUser;
let tester: TestUser;
let tester2: TestUser;
let cr: CycleReportFixture;
let reportId = 0;
let versionId = "";

beforeAll(async () => {
  [owner, tester, tester2] = await Promise.all([
    createUser("report_owner", "sod-owner"),
    createUser("tester", "sod-tester"),
    createUser("tester", "sod-tester2"),
  ]);
  cr = await createCycleReport(owner.id, [tester.id, tester2.id]);
  [{ report_id: reportId }] = await db<[{ report_id: number }]>`
    select report_id from public.cycle_reports where id = ${cr.id}`;
  admin = await signIn("admin@example.com");
}, 60_000);

afterAll(async () => {
  await db.end();
});

describe("segregation of duties, whatever the roles say", () => {
  it("an admin cannot turn a report's owner into a tester", async () => {
    const { error, status } = await admin.from("profiles").update({ app_role: "tester" }).eq("id", owner.id).select();
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "role_change_orphans_reports" });
  });

  it("an admin cannot make an assigned tester the report's owner, whatever their role", async () => {
    expect((await admin.from("profiles").update({ app_role: "report_owner" }).eq("id", tester.id)).error).toBeNull();
    const { error, status } = await admin.from("reports").update({ owner_id: tester.id }).eq("id", reportId).select();
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "owner_is_assigned_tester" });
    expect((await admin.from("profiles").update({ app_role: "tester" }).eq("id", tester.id)).error).toBeNull();
  });

  it("the tester of a version's items, later made its owner, cannot approve it", async () => {
    const asTester = await signIn(tester.email, tester.password);
    const asTester2 = await signIn(tester2.email, tester2.password);
    expect((await asTester.rpc("start_phase", { p_phase_id: cr.phases.planning! })).error).toBeNull();
    const created = await asTester.rpc("create_version", { p_phase_id: cr.phases.planning! });
    expect(created.error).toBeNull();
    versionId = created.data!.id;
    const added = await asTester
      .from("planning_attributes")
      .insert({ version_id: versionId, name: "Balance", data_type: "decimal", tester_decision: "approved" })
      .select("id");
    expect(added.error).toBeNull();
    // Someone else submits, so the submitter rule does not apply.
    expect((await asTester2.rpc("submit_version", { p_version_id: versionId })).error).toBeNull();

    // The admin unassigns the tester and makes them the report's owner (allowed: they no longer test it).
    expect(
      (await admin.from("cycle_report_testers").delete().eq("cycle_report_id", cr.id).eq("tester_id", tester.id)).error,
    ).toBeNull();
    expect((await admin.from("profiles").update({ app_role: "report_owner" }).eq("id", tester.id)).error).toBeNull();
    expect((await admin.from("reports").update({ owner_id: tester.id }).eq("id", reportId)).error).toBeNull();

    const approval = await asTester.rpc("approve_version", { p_version_id: versionId });
    expect(approval.status).toBe(403);
    expect(approval.error).toMatchObject({ code: "PT403", details: "approver_made_tester_decisions" });
    const [{ version_status }] = await db<[{ version_status: string }]>`
      select version_status from public.artifact_versions where id = ${versionId}`;
    expect(version_status).toBe("pending_approval");
  });
});

describe("access ends with the assignment", () => {
  it("an unassigned tester no longer reads the cycle report's LLM calls, jobs and their own audit rows", async () => {
    await db`insert into public.llm_interactions (purpose, provider, model, request, user_id, version_id)
             values ('planning_attributes', 'heuristic', 'rules', '{"prompt": "loan tape columns"}', ${tester2.id}, ${versionId})`;
    await db`insert into public.background_jobs (job_type, created_by, cycle_report_id, metadata)
             values ('test.segregation', ${tester2.id}, ${cr.id}, '{"note": "for tester2"}')`;
    const asTester2 = await signIn(tester2.email, tester2.password);
    const visible = async () => ({
      calls: (await asTester2.from("llm_interactions").select("id").eq("version_id", versionId)).data?.length,
      jobs: (await asTester2.from("background_jobs").select("id").eq("cycle_report_id", cr.id)).data?.length,
      audit: (
        await asTester2
          .from("audit_log")
          .select("id")
          .eq("table_name", "public.artifact_versions")
          .eq("row_id", versionId)
      ).data?.length,
    });
    expect(await visible()).toEqual({ calls: 1, jobs: 1, audit: 1 });

    expect(
      (await admin.from("cycle_report_testers").delete().eq("cycle_report_id", cr.id).eq("tester_id", tester2.id))
        .error,
    ).toBeNull();
    expect(await visible()).toEqual({ calls: 0, jobs: 0, audit: 0 });
  });
});
