// A cycle report can always be finished: every phase, in every state it can be in, has a way forward for the
// roles (the assigned tester, the report owner, an admin) through the public API. Read generically from
// phase_definitions, so phases plugged in later are walked too. Versions in states the API reaches only with
// real items (submitted, approved, rejected) are put in place by the operator; the way forward is the API's.
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

interface PhaseDefinition {
  name: string;
  phase_order: number;
  has_artifact: boolean;
  item_tables: string[];
}

type VersionState = "draft" | "pending_approval" | "approved" | "rejected" | "approved_then_draft";
type PhaseState =
  | { status: "not_started" }
  | { status: "in_progress"; version?: VersionState }
  | { status: "completed" }
  | { status: "skipped" };

const versionStates: VersionState[] = ["draft", "pending_approval", "approved", "rejected", "approved_then_draft"];

let definitions: PhaseDefinition[];
let testerUser: TestUser;
let ownerUser: TestUser;
let tester: Client;
let owner: Client;
let admin: Client;

beforeAll(async () => {
  [testerUser, ownerUser] = await Promise.all([createUser("tester", "walker"), createUser("report_owner", "walked")]);
  [tester, owner, admin] = await Promise.all([
    signIn(testerUser.email, testerUser.password),
    signIn(ownerUser.email, ownerUser.password),
    signIn("admin@example.com"),
  ]);
  definitions = (
    await db<PhaseDefinition[]>`
      select name, phase_order, has_artifact, item_tables::text[] as item_tables
        from public.phase_definitions order by phase_order`
  ).map((d) => ({ ...d, phase_order: Number(d.phase_order) }));
});

afterAll(async () => {
  await db.end();
});

function statesOf(definition: PhaseDefinition): PhaseState[] {
  return [
    { status: "not_started" },
    { status: "in_progress" },
    ...(definition.has_artifact ? versionStates.map((version) => ({ status: "in_progress" as const, version })) : []),
    { status: "completed" },
    { status: "skipped" },
  ];
}

function describeState(state: PhaseState): string {
  if (state.status !== "in_progress") return state.status;
  return state.version ? `in progress with a version ${state.version.replaceAll("_", " ")}` : "in progress, no version";
}

async function expectOk<T>(label: string, call: PromiseLike<{ data: T; error: unknown }>): Promise<T> {
  const { data, error } = await call;
  expect(error, label).toBeNull();
  return data;
}

/**
 * A version of the phase in the given status, as the operator puts it there (the items are not the point): with
 * the lifecycle triggers off for its insert, then recorded in the audit log as the audit trigger would have, so
 * the log still explains every version's status (verify_audit_log) for the tests running beside this one.
 */
async function insertVersion(cycleReportId: number, phaseId: number, phaseName: string, status: string) {
  await db.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    const [version] = await tx<{ id: string }[]>`
      insert into public.artifact_versions
        (phase_id, cycle_report_id, phase_name, version_number, version_status, created_by,
         submitted_by, submitted_at, approved_by, approved_at, rejected_by, rejected_at, rejection_reason)
      select ${phaseId}, ${cycleReportId}, ${phaseName}, coalesce(max(v.version_number), 0) + 1, ${status}::public.version_status,
             ${testerUser.id}::uuid,
             ${testerUser.id}::uuid, now(),
             case when ${status} = 'approved' then ${ownerUser.id}::uuid end, case when ${status} = 'approved' then now() end,
             case when ${status} = 'rejected' then ${ownerUser.id}::uuid end, case when ${status} = 'rejected' then now() end,
             case when ${status} = 'rejected' then 'Not yet' end
        from public.artifact_versions v where v.phase_id = ${phaseId}
      returning id`;
    await tx`set local session_replication_role = origin`;
    await tx`
      insert into public.audit_log (actor_id, actor_role, table_name, row_id, operation, new_values)
      select null, session_user::text, 'public.artifact_versions', v.id::text, 'INSERT', to_jsonb(v)
        from public.artifact_versions v where v.id = ${version!.id}`;
  });
}

/** A fresh cycle report whose phase `definition` is in `state`, the phases before it skipped by an admin. */
async function arrange(definition: PhaseDefinition, state: PhaseState): Promise<CycleReportFixture> {
  const cycleReport = await createCycleReport(ownerUser.id, [testerUser.id]);
  const phaseId = cycleReport.phases[definition.name]!;
  for (const before of definitions.filter((d) => d.phase_order < definition.phase_order)) {
    await expectOk(
      `skip ${before.name}`,
      admin.rpc("skip_phase", { p_phase_id: cycleReport.phases[before.name]!, p_reason: "Walked past" }),
    );
  }
  if (state.status === "not_started") return cycleReport;
  if (state.status === "skipped") {
    await expectOk("skip", admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Not needed" }));
    return cycleReport;
  }
  await expectOk("start", tester.rpc("start_phase", { p_phase_id: phaseId }));
  if (state.status === "completed") {
    if (definition.has_artifact && definition.item_tables.length > 0) {
      await insertVersion(cycleReport.id, phaseId, definition.name, "approved");
    }
    await completeActivities(tester, phaseId, admin);
    await expectOk("complete", tester.rpc("complete_phase", { p_phase_id: phaseId }));
    return cycleReport;
  }
  if (state.version === "approved_then_draft") {
    await insertVersion(cycleReport.id, phaseId, definition.name, "approved");
    await insertVersion(cycleReport.id, phaseId, definition.name, "draft");
  } else if (state.version) {
    await insertVersion(cycleReport.id, phaseId, definition.name, state.version);
  }
  return cycleReport;
}

async function phaseStatus(phaseId: number): Promise<string> {
  const [row] = await db<{ status: string }[]>`select status from public.workflow_phases where id = ${phaseId}`;
  return row!.status;
}

/**
 * Moves the phase on as the roles can: the tester starts it; a phase without an approved version is skipped by
 * an admin; one with an approved version has its open version closed (the tester deletes a draft, an admin
 * rejects one awaiting approval), its activities finished and is completed by the tester. Returns the steps.
 */
async function moveOn(definition: PhaseDefinition, cycleReport: CycleReportFixture): Promise<string[]> {
  const phaseId = cycleReport.phases[definition.name]!;
  const steps: string[] = [];
  let status = await phaseStatus(phaseId);
  if (status === "completed" || status === "skipped") return steps;
  if (status === "not_started") {
    await expectOk("start", tester.rpc("start_phase", { p_phase_id: phaseId }));
    steps.push("tester starts");
    status = await phaseStatus(phaseId);
  }
  const versions =
    (await expectOk(
      "read versions",
      tester.from("artifact_versions").select("id, version_status").eq("phase_id", phaseId),
    )) ?? [];
  if (!versions.some((v) => v.version_status === "approved")) {
    await expectOk("skip", admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Moving on without it" }));
    steps.push("admin skips");
    return steps;
  }
  for (const version of versions) {
    if (version.version_status === "draft") {
      await expectOk("delete the draft", tester.from("artifact_versions").delete().eq("id", version.id).select("id"));
      steps.push("tester deletes the draft");
    } else if (version.version_status === "pending_approval") {
      await expectOk("reject", admin.rpc("reject_version", { p_version_id: version.id, p_reason: "Superseded" }));
      steps.push("admin rejects the pending version");
    }
  }
  await completeActivities(tester, phaseId, admin);
  await expectOk("complete", tester.rpc("complete_phase", { p_phase_id: phaseId }));
  steps.push("tester completes");
  return steps;
}

describe("every phase in every state has a way forward", () => {
  it("walks the phases the database defines", () => {
    expect(definitions.map((d) => d.name)).toContain("scoping");
  });

  // One test per phase: its states are walked in order, each on a cycle report of its own.
  for (const name of [
    "planning",
    "scoping",
    "data_request",
    "data_profiling",
    "sample_selection",
    "request_info",
    "test_execution",
    "observation_mgmt",
    "test_report",
  ]) {
    it(`${name}: from every state the roles move it on, and the next phase can start`, async () => {
      const definition = definitions.find((d) => d.name === name);
      if (!definition) return; // a phase an admin removed has no states
      for (const state of statesOf(definition)) {
        const cycleReport = await arrange(definition, state);
        const steps = await moveOn(definition, cycleReport);
        const phaseId = cycleReport.phases[name]!;
        expect(["completed", "skipped"], `${name} ${describeState(state)}: ${steps.join(", ")}`).toContain(
          await phaseStatus(phaseId),
        );
        const next = definitions.find((d) => d.phase_order > definition.phase_order);
        if (next) {
          const started = await tester.rpc("start_phase", { p_phase_id: cycleReport.phases[next.name]! });
          expect(started.error, `${next.name} starts after ${name} ${describeState(state)}`).toBeNull();
        } else {
          const [row] = await db<
            { status: string }[]
          >`select status from public.cycle_reports where id = ${cycleReport.id}`;
          expect(row!.status, `the cycle report finishes after ${name} ${describeState(state)}`).toBe("completed");
        }
      }
    });
  }
});

describe("admins move phases on, with a reason", () => {
  it("the versions this file put in place leave the audit log explained", async () => {
    const [verdict] = await db<{ unexplained: unknown }[]>`
      select public.verify_audit_log() -> 'unexplained_version' as unexplained`;
    expect(verdict!.unexplained).toBeNull();
  });

  it("a started phase whose artifact does not exist yet completes without an approved version", async () => {
    const waiting = definitions.filter((d) => d.has_artifact && d.item_tables.length === 0);
    for (const definition of waiting) {
      const cycleReport = await arrange(definition, { status: "in_progress" });
      const phaseId = cycleReport.phases[definition.name]!;
      await completeActivities(tester, phaseId);
      await expectOk(`complete ${definition.name}`, tester.rpc("complete_phase", { p_phase_id: phaseId }));
    }
  });

  it("skipping is for admins, with a reason, and the reason is kept and audited", async () => {
    const scoping = definitions.find((d) => d.name === "scoping")!;
    const cycleReport = await arrange(scoping, { status: "in_progress" });
    const phaseId = cycleReport.phases.scoping!;

    const byTester = await tester.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Tired of it" });
    expect(byTester.status).toBe(403);
    expect(byTester.error).toMatchObject({ code: "PT403", details: "skip_requires_admin" });
    const byOwner = await owner.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Tired of it" });
    expect(byOwner.error).toMatchObject({ code: "PT403", details: "skip_requires_admin" });
    const noReason = await admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.error).toMatchObject({ code: "PT400", details: "skip_reason_required" });
    expect(await phaseStatus(phaseId)).toBe("in_progress");

    const skipped = await admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Scoped in the previous cycle" });
    expect(skipped.error).toBeNull();
    expect(skipped.data).toMatchObject({ status: "skipped", skip_reason: "Scoped in the previous cycle" });
    const [audit] = await db<{ reason: string }[]>`
      select new_values ->> 'skip_reason' as reason from public.audit_log
       where table_name = 'public.workflow_phases' and row_id = ${String(phaseId)} and new_values ->> 'status' = 'skipped'`;
    expect(audit?.reason).toBe("Scoped in the previous cycle");
  });

  it("a version a skip left awaiting approval is never approved afterwards", async () => {
    const planning = definitions.find((d) => d.name === "planning")!;
    const cycleReport = await arrange(planning, { status: "in_progress", version: "pending_approval" });
    const phaseId = cycleReport.phases.planning!;
    await expectOk("skip", admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Planned elsewhere" }));
    const [version] = await db<{ id: string }[]>`select id from public.artifact_versions where phase_id = ${phaseId}`;
    const approved = await owner.rpc("approve_version", { p_version_id: version!.id });
    expect(approved.status).toBe(409);
    expect(approved.error).toMatchObject({ code: "PT409", details: "phase_skipped" });
  });

  it("a phase with an approved version is completed, not skipped; an admin reopens it with a reason", async () => {
    const planning = definitions.find((d) => d.name === "planning")!;
    const cycleReport = await arrange(planning, { status: "in_progress", version: "approved" });
    const phaseId = cycleReport.phases.planning!;
    const refused = await admin.rpc("skip_phase", { p_phase_id: phaseId, p_reason: "Shortcut" });
    expect(refused.status).toBe(409);
    expect(refused.error).toMatchObject({ code: "PT409", details: "phase_has_approved_version" });

    await moveOn(planning, cycleReport);
    expect(await phaseStatus(phaseId)).toBe("completed");
    const byTester = await tester.rpc("reopen_phase", { p_phase_id: phaseId, p_reason: "A late correction" });
    expect(byTester.error).toMatchObject({ code: "PT403", details: "reopen_requires_admin" });
    const noReason = await admin.rpc("reopen_phase", { p_phase_id: phaseId, p_reason: "" });
    expect(noReason.error).toMatchObject({ code: "PT400", details: "reopen_reason_required" });
    const reopened = await admin.rpc("reopen_phase", { p_phase_id: phaseId, p_reason: "A late correction" });
    expect(reopened.error).toBeNull();
    expect(reopened.data).toMatchObject({ status: "in_progress", reopen_reason: "A late correction" });
    const completed = await tester.rpc("complete_phase", { p_phase_id: phaseId });
    expect(completed.data).toMatchObject({ status: "completed", reopen_reason: null });
  });
});
