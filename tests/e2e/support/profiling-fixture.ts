// A cycle report of its own for the profiling journey: a report owned by owner@, assigned to tester@,
// planning approved with one uploaded source table in source_data and approved attributes mapped to its
// columns, scoping and data request skipped, and data profiling started, with no profiling version yet.
// Built as the database operator, as the profiling tests' fixture does.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { createStartedCycleReport } from "../../support/cycle-report-fixture.ts";

export interface PlanningFixture {
  cycleReportId: number;
  reportName: string;
  /** The uploaded source table, in schema source_data. */
  table: string;
  /** Rows of the source table and the rows each of the journey's rules fails. */
  rows: number;
  failing: { amountOutOfRange: number; unknownCurrency: number };
}

const ROWS = 200;
// Every 25th amount is negative, every 10th row (from the 4th) has a currency outside USD and EUR; rows were
// opened on consecutive days from 2030-01-01.
const amountOutOfRange = (i: number) => i % 25 === 0;
const unknownCurrency = (i: number) => i % 10 === 3;

export async function createPlanningFixture(sql: postgres.Sql): Promise<PlanningFixture> {
  const suffix = randomBytes(5).toString("hex");
  const table = `upload_e2e${suffix}`;
  const reportName = `Profiling journey ${suffix}`;
  const columns = [
    { name: "loan_id", pgType: "integer" },
    { name: "amount", pgType: "numeric" },
    { name: "currency", pgType: "text" },
    { name: "opened_on", pgType: "date" },
  ];
  const cycleReportId = await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName,
      regulation: "Reg P",
      cycleName: "Cycle " + suffix,
      period: ["2031-01-01", "2031-03-31"],
      ownerEmail: "owner@example.com",
      testerEmail: "tester@example.com",
    });
    const [planning] = await tx`select id from public.create_version(${phases.planning!})`;
    await tx.unsafe(
      `create table source_data.${table} (loan_id integer, amount numeric, currency text, opened_on date)`,
    );
    await tx.unsafe(
      `insert into source_data.${table} (loan_id, amount, currency, opened_on)
       select i, case when i % 25 = 0 then -(i + 1) else i * 1000 end, case when i % 10 = 3 then 'GBP' when i % 2 = 0 then 'USD' else 'EUR' end,
              date '2030-01-01' + i
         from generate_series(0, ${ROWS - 1}) i`,
    );
    const schema = {
      columns: columns.map((c, i) => ({
        name: c.name,
        originalName: c.name,
        position: i + 1,
        type: "text",
        pgType: c.pgType,
      })),
    };
    const [source] = await tx`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
      values (${planning!.id}, 'Loans upload', 'file_upload', ${table}, ${tx.json(schema)}, ${ROWS})
      returning id`;
    await tx`update public.planning_data_sources set tester_decision = 'approved' where id = ${source!.id}`;
    for (const c of columns) {
      await tx`
        insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, tester_decision)
        values (${planning!.id}, ${c.name}, 'string', ${source!.id}, ${c.name}, 'approved')`;
    }
    await tx`select public.submit_version(${planning!.id})`;
    await tx`select public.approve_version(${planning!.id})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (${phases.scoping!}, ${phases.data_request!})`;
    await tx`select public.start_phase(${phases.data_profiling!})`;
    return cycleReportId;
  });
  const indexes = Array.from({ length: ROWS }, (_, i) => i);
  return {
    cycleReportId,
    reportName,
    table,
    rows: ROWS,
    failing: {
      amountOutOfRange: indexes.filter(amountOutOfRange).length,
      unknownCurrency: indexes.filter(unknownCurrency).length,
    },
  };
}
