// A cycle report ready for test execution: the sampling fixture with `samples` loans drawn and approved in a
// sample-selection version, the phases up to the request for information completed or skipped, a second tester
// assigned to review, and the test-execution phase started. Built as the database operator.
import type postgres from "postgres";
import { createSamplingFixture, type SamplingFixture, type SamplingFixtureOptions } from "./sampling-fixture.ts";

export interface TestExecutionFixture extends SamplingFixture {
  reviewerEmail: string;
  sampleSelectionVersionId: string;
  /** The test-execution workflow phase. */
  testPhaseId: number;
}

export async function createTestExecutionFixture(
  sql: postgres.Sql,
  options: SamplingFixtureOptions & { samples: number; reviewerEmail?: string },
): Promise<TestExecutionFixture> {
  const f = await createSamplingFixture(sql, options);
  const reviewerEmail = options.reviewerEmail ?? "tester2@example.com";
  return await sql.begin(async (tx) => {
    const [v] = await tx<[{ id: string }]>`select id from public.create_version(${f.phaseId})`;
    await tx`select public.run_sample_selection(${v.id}, ${f.dataSourceId}, 'loan_id', 'simple_random',
               ${tx.json({ basis: "tester_set", size: options.samples, reason: "fixture" })}, '{}', '[]', null, 'fixture')`;
    await tx`update public.sample_decisions set tester_decision = 'approved' where version_id = ${v.id}`;
    await tx`select public.submit_version(${v.id})`;
    await tx`update public.sample_decisions set report_owner_decision = 'approved' where version_id = ${v.id}`;
    await tx`select public.approve_version(${v.id})`;
    // The manual activities are ticked; those a record would prove but this fixture's data does not are skipped.
    await tx`select tests.finish_activities(${f.phaseId})`;
    await tx`select public.complete_phase(${f.phaseId})`;
    const phases = await tx<{ phase_name: string; id: string }[]>`
      select phase_name, id from public.workflow_phases where cycle_report_id = ${f.cycleReportId}`;
    const id = (name: string) => phases.find((p) => p.phase_name === name)!.id;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
              where id = ${id("request_info")}`;
    await tx`insert into public.cycle_report_testers (cycle_report_id, tester_id)
              select ${f.cycleReportId}, id from public.profiles where email = ${reviewerEmail}`;
    await tx`select public.start_phase(${id("test_execution")})`;
    return { ...f, reviewerEmail, sampleSelectionVersionId: v.id, testPhaseId: Number(id("test_execution")) };
  });
}
