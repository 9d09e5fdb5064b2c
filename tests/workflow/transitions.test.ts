// Phase and activity transitions through the REST API: who may start and complete what, in which order,
// with the coded refusals of docs/database.md, and no way around the RPCs by writing status columns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  completeActivities,
  createCycleReport,
  createUser,
  db,
  signIn,
  type Client,
  type CycleReportFixture,
  type TestUser,
} from "./support/fixtures";

let mine: CycleReportFixture;
let theirs: CycleReportFixture;
let testerUser: TestUser;
let tester: Client;
let otherTester: Client;
let owner: Client;
let admin: Client;

beforeAll(async () => {
  const [t, other, o] = await Promise.all([
    createUser("tester", "tester"),
    createUser("tester", "other-tester"),
    createUser("report_owner", "owner"),
  ]);
  testerUser = t;
  mine = await createCycleReport(o.id, [t.id]);
  theirs = await createCycleReport(o.id, [other.id]);
  [tester, otherTester, owner, admin] = await Promise.all([
    signIn(t.email, t.password),
    signIn(other.email, other.password),
    signIn(o.email, o.password),
    signIn("admin@example.com"),
  ]);
});

afterAll(async () => {
  await db.end();
});

async function phaseRow(phaseId: number) {
  const [row] = await db<{ status: string; started_by: string | null }[]>`
    select status, started_by from public.workflow_phases where id = ${phaseId}`;
  return row!;
}

describe("starting phases", () => {
  it("a tester cannot start a phase of another tester's cycle report: it is not even visible", async () => {
    const { error, status } = await otherTester.rpc("start_phase", { p_phase_id: mine.phases.planning! });
    expect(status).toBe(404);
    expect(error).toMatchObject({ code: "PT404", details: "phase_not_found" });
    await expect(phaseRow(mine.phases.planning!)).resolves.toMatchObject({ status: "not_started" });
  });

  it("the report owner reads the phase but cannot start it", async () => {
    const { error, status } = await owner.rpc("start_phase", { p_phase_id: mine.phases.planning! });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: "PT403", details: "start_requires_tester" });
  });

  it("a phase cannot start before the phases it depends on are completed", async () => {
    const { error, status } = await tester.rpc("start_phase", { p_phase_id: mine.phases.scoping! });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "phase_dependencies_incomplete" });
    expect(error?.message).toBe("The scoping phase cannot start before planning is completed.");
  });

  it("the assigned tester starts the first phase, stamped with who and when", async () => {
    const { data, error } = await tester.rpc("start_phase", { p_phase_id: mine.phases.planning! });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "in_progress", started_by: testerUser.id });
    expect(data?.started_at).toBeTruthy();
    const { data: cycleReport } = await tester.from("cycle_reports").select("status").eq("id", mine.id).single();
    expect(cycleReport?.status).toBe("in_progress");
  });

  it("a started phase cannot start again", async () => {
    const { error, status } = await tester.rpc("start_phase", { p_phase_id: mine.phases.planning! });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "phase_not_startable" });
  });
});

describe("completing phases and activities", () => {
  it("a phase with open required activities cannot complete", async () => {
    const { error, status } = await tester.rpc("complete_phase", { p_phase_id: mine.phases.planning! });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "activities_incomplete" });
  });

  it("the owner cannot work on activities; the tester cannot tick by hand what the data proves", async () => {
    const { data: activities } = await tester
      .from("workflow_activities")
      .select("id, proof")
      .eq("phase_id", mine.phases.planning!)
      .order("activity_order");
    const first = activities![0]!;
    expect(first.proof).toBe("items_exist");
    const refused = await owner.rpc("start_activity", { p_activity_id: first.id });
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ code: "PT403", details: "activity_requires_tester" });

    for (const rpc of ["start_activity", "complete_activity"] as const) {
      const byHand = await tester.rpc(rpc, { p_activity_id: first.id });
      expect(byHand.status).toBe(409);
      expect(byHand.error).toMatchObject({ code: "PT409", details: "activity_proven_by_data" });
      expect(byHand.error?.message).toContain(
        "completes itself when the phase's current version has planning attributes",
      );
    }
  });

  it("activities of a phase that has not started cannot change", async () => {
    const { data: activities } = await tester
      .from("workflow_activities")
      .select("id")
      .eq("phase_id", mine.phases.scoping!);
    const { error, status } = await tester.rpc("start_activity", { p_activity_id: activities![0]!.id });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "phase_not_in_progress" });
  });

  it("a phase with an artifact completes only once a version is approved", async () => {
    await completeActivities(tester, mine.phases.planning!, admin);
    const { error, status } = await tester.rpc("complete_phase", { p_phase_id: mine.phases.planning! });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: "PT409", details: "approved_version_required" });
  });
});

describe("no way around the RPCs", () => {
  it("a direct PATCH of a phase's status is refused, even for the assigned tester and an admin", async () => {
    for (const client of [tester, admin]) {
      const { error, status } = await client
        .from("workflow_phases")
        .update({ status: "completed" } as never)
        .eq("id", mine.phases.planning!);
      expect(status).toBe(403);
      expect(error?.code).toBe("42501");
    }
    await expect(phaseRow(mine.phases.planning!)).resolves.toMatchObject({ status: "in_progress" });
  });

  it("a direct PATCH of an activity's status is refused", async () => {
    const { data: activities } = await tester
      .from("workflow_activities")
      .select("id")
      .eq("phase_id", mine.phases.scoping!);
    const { error, status } = await tester
      .from("workflow_activities")
      .update({ status: "completed" } as never)
      .eq("id", activities![0]!.id);
    expect(status).toBe(403);
    expect(error?.code).toBe("42501");
  });

  it("a tester's PATCH of a cycle report's status changes nothing", async () => {
    const { data, error } = await tester
      .from("cycle_reports")
      .update({ status: "completed" })
      .eq("id", mine.id)
      .select();
    // Row-level security leaves the tester no row to update.
    expect(error).toBeNull();
    expect(data).toEqual([]);
    const [row] = await db<{ status: string }[]>`select status from public.cycle_reports where id = ${mine.id}`;
    expect(row?.status).toBe("in_progress");
  });

  it("another tester's cycle report is untouched by all of the above", async () => {
    const rows = await db<{ status: string }[]>`
      select status from public.workflow_phases where cycle_report_id = ${theirs.id}`;
    expect(new Set(rows.map((p) => p.status))).toEqual(new Set(["not_started"]));
  });
});
