// A cycle report ready for observations: the test-execution fixture with its version approved, the first two
// samples failing on Amount (every other case passes), test execution completed and observation management started.
// Built as the database operator, except the reviewer's sign-off (their own, through the API).
import type postgres from "postgres";
import { signIn } from "./auth.ts";
import { createTestExecutionFixture, type TestExecutionFixture } from "./test-execution-fixture.ts";

export interface ObservationFixture extends TestExecutionFixture {
  /** The cycle report's workflow phases by name. */
  phases: Record<string, number>;
}

export async function createObservationFixture(
  sql: postgres.Sql,
  options: Parameters<typeof createTestExecutionFixture>[1],
): Promise<ObservationFixture> {
  const f = await createTestExecutionFixture(sql, options);
  const [v] = await sql<[{ id: string }]>`select id from public.create_version(${f.testPhaseId})`;
  await sql`update public.test_cases set result = 'pass', source_value = public.masked_reported_value(test_cases) where version_id = ${v.id}`;
  await sql`update public.test_cases t set result = 'fail', exception_description = 'Amount differs from the statement'
             where t.version_id = ${v.id} and t.attribute_name = 'Amount'
               and t.sample_key in (select sample_key from public.test_cases
                                     where version_id = ${v.id} and attribute_name = 'Amount' order by sample_key limit 2)`;
  const reviewer = await signIn(f.reviewerEmail);
  const signed = await reviewer.client
    .from("test_cases")
    .update({ tester_decision: "approved" })
    .eq("version_id", v.id);
  if (signed.error) throw new Error(signed.error.message);
  await sql`select public.submit_version(${v.id})`;
  await sql`select public.approve_version(${v.id})`;
  const rows = await sql<{ phase_name: string; id: string }[]>`
    select phase_name, id from public.workflow_phases where cycle_report_id = ${f.cycleReportId}`;
  const phases = Object.fromEntries(rows.map((r) => [r.phase_name, Number(r.id)]));
  await tickManual(sql, phases.test_execution!);
  await sql`select public.complete_phase(${phases.test_execution!})`;
  await sql`select public.start_phase(${phases.observation_mgmt!})`;
  await tickManual(sql, phases.observation_mgmt!);
  return { ...f, phases };
}

/** Completes the manual activities of a phase (those no record proves), so only the phase's own rules remain. */
export async function tickManual(sql: postgres.Sql, phaseId: number): Promise<void> {
  await sql`update public.workflow_activities a set status = 'completed'
             where a.phase_id = ${phaseId} and a.status not in ('completed', 'skipped') and not private.is_provable_activity(a)`;
}

export interface TestReportFixture extends ObservationFixture {
  observationId: string;
  /** The test-report version: a draft with its conclusion, signed by the tester as preparer. */
  reportVersionId: string;
}

/**
 * The observation fixture carried to a signed draft test report: the failures' observation proposed, raised and
 * answered by the owner, observation management completed, the test report started and its first version created,
 * concluded and signed by the tester. Each role's step through its own client, as the API would see it.
 */
export async function createTestReportFixture(
  sql: postgres.Sql,
  options: Parameters<typeof createTestExecutionFixture>[1],
): Promise<TestReportFixture> {
  const f = await createObservationFixture(sql, options);
  const [tester, owner] = await Promise.all([signIn(f.testerEmail), signIn(f.ownerEmail)]);
  const must = <T>(result: { data: T; error: { message: string } | null }, what: string): T => {
    if (result.error) throw new Error(`${what}: ${result.error.message}`);
    return result.data;
  };
  const proposed = must(
    await tester.client.rpc("propose_observations", { p_cycle_report_id: f.cycleReportId }),
    "propose",
  ) as { id: string }[];
  const observationId = proposed[0]!.id;
  const move = async (who: typeof tester, to: string) =>
    must(
      await who.client.rpc("move_observation", { p_observation_id: observationId, p_to_status: to, p_comment: to }),
      `move to ${to}`,
    );
  await move(tester, "open");
  must(await owner.client.from("observations").update({ owner_response: "Agreed" }).eq("id", observationId), "respond");
  await move(owner, "responded");
  must(await tester.client.rpc("complete_phase", { p_phase_id: f.phases.observation_mgmt! }), "complete phase 8");
  must(await tester.client.rpc("start_phase", { p_phase_id: f.phases.test_report! }), "start phase 9");
  const version = must(
    await tester.client.rpc("create_version", { p_phase_id: f.phases.test_report! }),
    "create version",
  ) as { id: string };
  must(
    await tester.client
      .from("test_reports")
      .update({ conclusion: "Fairly stated but for Amount." })
      .eq("version_id", version.id),
    "conclude",
  );
  must(
    await tester.client.from("test_reports").update({ tester_decision: "approved" }).eq("version_id", version.id),
    "sign",
  );
  return { ...f, observationId, reportVersionId: version.id };
}
