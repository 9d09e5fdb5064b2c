// A cycle report ready for sample selection: an approved planning version with one upload (loan_id, amount,
// region, tax_id; tax_id classified confidential) filled with `rows` loans, scoping, data request and data
// profiling skipped, and the sample-selection phase started. Built as the database operator.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { createStartedCycleReport } from "./cycle-report-fixture.ts";

export interface SamplingFixture {
  suffix: string;
  testerEmail: string;
  ownerEmail: string;
  cycleReportId: number;
  /** The sample-selection workflow phase. */
  phaseId: number;
  planningVersionId: string;
  dataSourceId: string;
  /** The upload's table in source_data. */
  table: string;
}

export interface SamplingFixtureOptions {
  rows: number;
  /** The demo users by default, so tests can sign in through the gateway. */
  testerEmail?: string;
  ownerEmail?: string;
  /** The planning attributes [name, source column, classification]; Loan id, Amount, Region and Tax id by default. */
  attributes?: readonly (readonly [string, string, string])[];
  /** Digits of the loan number in the key (5 by default: L00001); more for populations beyond 99,999 rows. */
  keyDigits?: number;
}

const defaultAttributes = [
  ["Loan id", "loan_id", "internal"],
  ["Amount", "amount", "internal"],
  ["Region", "region", "internal"],
  ["Tax id", "tax_id", "confidential"],
] as const;

/** Loan `L00001`… with amount i × 10 and region north/south/east/west in turn. */
export async function createSamplingFixture(
  sql: postgres.Sql,
  options: SamplingFixtureOptions,
): Promise<SamplingFixture> {
  const suffix = randomBytes(5).toString("hex");
  const testerEmail = options.testerEmail ?? "tester@example.com";
  const ownerEmail = options.ownerEmail ?? "owner@example.com";
  const table = `upload_samp${suffix}`;
  return await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: "Sampling " + suffix,
      regulation: "Reg S",
      cycleName: "Cycle " + suffix,
      period: ["2030-01-01", "2030-03-31"],
      ownerEmail,
      testerEmail,
    });
    const [planning] = await tx<[{ id: string }]>`select id from public.create_version(${phases.planning!})`;
    await tx.unsafe(`create table source_data.${table} (loan_id text, amount numeric, region text, tax_id text)`);
    await tx.unsafe(
      `insert into source_data.${table}
       select 'L' || lpad(i::text, $2::int, '0'), i * 10, (array['north', 'south', 'east', 'west'])[1 + i % 4], 'TAX-' || i
         from generate_series(1, $1::int) i`,
      [options.rows, options.keyDigits ?? 5],
    );
    const columns = ["loan_id", "amount", "region", "tax_id"].map((name, i) => ({
      name,
      originalName: name,
      position: i + 1,
      type: name === "amount" ? "number" : "text",
      pgType: name === "amount" ? "numeric" : "text",
    }));
    const [source] = await tx<[{ id: string }]>`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, status, tester_decision)
      values (${planning.id}, 'Loans', 'file_upload', ${table}, ${tx.json({ columns })}, ${options.rows}, 'ready', 'approved')
      returning id`;
    for (const [name, column, classification] of options.attributes ?? defaultAttributes) {
      await tx`
        insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
        values (${planning.id}, ${name}, 'string', ${source.id}, ${column}, ${classification}, 'approved')`;
    }
    await tx`select public.submit_version(${planning.id})`;
    await tx`select public.approve_version(${planning.id})`;
    // The manual activities are ticked; those a record would prove but this fixture's data does not are skipped.
    await tx`select tests.finish_activities(${phases.planning!})`;
    await tx`select public.complete_phase(${phases.planning!})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
              where id in (${phases.scoping!}, ${phases.data_request!}, ${phases.data_profiling!})`;
    await tx`select public.start_phase(${phases.sample_selection!})`;
    return {
      suffix,
      testerEmail,
      ownerEmail,
      cycleReportId,
      phaseId: Number(phases.sample_selection!),
      planningVersionId: planning.id,
      dataSourceId: source.id,
      table,
    };
  });
}
