import type postgres from "postgres";

export interface CycleReportOptions {
  reportName: string;
  regulation: string;
  cycleName: string;
  period: [start: string, end: string];
  ownerEmail: string;
  testerEmail: string;
}

export interface StartedCycleReport {
  cycleReportId: number;
  /** Workflow phase ids by phase name. */
  phases: Record<string, string>;
}

/**
 * A report owned by `ownerEmail` in a cycle of its own, with `testerEmail` assigned and the planning phase
 * started: where the planning, profiling and generation journeys begin. Runs inside the caller's transaction
 * as the database operator.
 */
export async function createStartedCycleReport(
  tx: postgres.TransactionSql,
  options: CycleReportOptions,
): Promise<StartedCycleReport> {
  const [{ tester }] = await tx<
    [{ tester: string }]
  >`select id as tester from public.profiles where email = ${options.testerEmail}`;
  const [{ owner }] = await tx<
    [{ owner: string }]
  >`select id as owner from public.profiles where email = ${options.ownerEmail}`;
  const [report] = await tx<[{ id: string }]>`
    insert into public.reports (name, regulation, owner_id)
    values (${options.reportName}, ${options.regulation}, ${owner}) returning id`;
  const [cycle] = await tx<[{ id: string }]>`
    insert into public.test_cycles (name, period_start, period_end)
    values (${options.cycleName}, ${options.period[0]}, ${options.period[1]}) returning id`;
  const [cr] = await tx<[{ id: string }]>`
    insert into public.cycle_reports (cycle_id, report_id) values (${cycle.id}, ${report.id}) returning id`;
  await tx`insert into public.cycle_report_testers (cycle_report_id, tester_id) values (${cr.id}, ${tester})`;
  const phases = Object.fromEntries(
    (
      await tx<{ phase_name: string; id: string }[]>`
        select phase_name, id from public.workflow_phases where cycle_report_id = ${cr.id}`
    ).map((p) => [p.phase_name, p.id]),
  );
  await tx`select public.start_phase(${phases.planning!})`;
  return { cycleReportId: Number(cr.id), phases };
}
