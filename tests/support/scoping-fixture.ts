// A cycle report ready for scoping: planning approved and completed with a loan table's attributes (a primary key,
// a CDE, a regulatory one, a high-risk one, two plain ones), scoping started. Built as the database operator.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { createStartedCycleReport } from "./cycle-report-fixture.ts";

export interface ScopingCycleReport {
  cycleReportId: number;
  phases: Record<string, string>;
  planningVersionId: string;
  /** Planning attribute ids by name. */
  attributes: Record<string, string>;
  table: string;
  reportName: string;
}

/** name, column, is_primary_key, is_cde, is_mandatory, classification, mapping classification (or none) */
const ATTRIBUTES: Array<[string, string, boolean, boolean, boolean, string, Record<string, unknown> | null]> = [
  ["Loan id", "loan_id", true, false, true, "internal", null],
  [
    "Amount",
    "amount",
    false,
    true,
    true,
    "internal",
    { criticality: "high", risk_level: "medium", regulatory_flag: true },
  ],
  [
    "Region",
    "region",
    false,
    false,
    false,
    "internal",
    { criticality: "low", risk_level: "low", regulatory_flag: true },
  ],
  ["Rating", "rating", false, false, false, "internal", { criticality: "high", risk_level: "high" }],
  ["Branch", "branch", false, false, false, "public", { criticality: "low", risk_level: "low" }],
  ["Note", "note", false, false, false, "internal", null],
];

export async function createScopingCycleReport(
  sql: postgres.Sql,
  options: { testerEmail: string; ownerEmail: string; reportName?: string },
): Promise<ScopingCycleReport> {
  const suffix = randomBytes(5).toString("hex");
  const table = `upload_scope${suffix}`;
  const reportName = options.reportName ?? `Scoping ${suffix}`;
  return await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName,
      regulation: "Reg S",
      cycleName: `Cycle ${suffix}`,
      period: ["2030-01-01", "2030-03-31"],
      ownerEmail: options.ownerEmail,
      testerEmail: options.testerEmail,
    });
    await tx.unsafe(
      `create table source_data.${table} (loan_id integer, amount numeric, region text, rating text, branch text, note text)`,
    );
    await tx.unsafe(
      `insert into source_data.${table} values (1, 100, 'north', 'A', 'B1', 'x'), (2, 250, 'south', 'B', 'B2', null), (3, -5, 'north', 'A', 'B1', 'y')`,
    );
    const [planning] = await tx<[{ id: string }]>`select id from public.create_version(${phases.planning!})`;
    const schema = {
      columns: ATTRIBUTES.map(([, column], i) => ({
        name: column,
        originalName: column,
        position: i + 1,
        type: column === "loan_id" ? "integer" : column === "amount" ? "numeric" : "text",
        pgType: column === "loan_id" ? "integer" : column === "amount" ? "numeric" : "text",
        nullable: true,
        nullCount: 0,
        distinctCount: 3,
      })),
    };
    const [source] = await tx<[{ id: string }]>`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
      values (${planning.id}, 'Loan tape', 'file_upload', ${table}, ${tx.json(schema)}, 3, 'approved') returning id`;
    const attributes: Record<string, string> = {};
    for (const [name, column, pk, cde, mandatory, classification, mapping] of ATTRIBUTES) {
      const [a] = await tx<[{ id: string }]>`
        insert into public.planning_attributes (version_id, name, data_type, is_primary_key, is_cde, is_mandatory,
          data_source_id, source_column, information_security_classification, tester_decision)
        values (${planning.id}, ${name}, ${column === "loan_id" ? "integer" : column === "amount" ? "decimal" : "string"},
                ${pk}, ${cde}, ${mandatory}, ${source.id}, ${column}, ${classification}, 'approved')
        returning id`;
      attributes[name] = a.id;
      if (mapping) {
        await tx`
          insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, source_table, source_column,
            classification, tester_decision)
          values (${planning.id}, ${a.id}, ${name}, ${`LOANS.${column.toUpperCase()}`}, ${table}, ${column},
                  ${tx.json(mapping as postgres.JSONValue)}, 'approved')`;
      }
    }
    await tx`select public.submit_version(${planning.id})`;
    await tx`select public.approve_version(${planning.id})`;
    // The manual activities are ticked; those a record would prove but this fixture's data does not are skipped.
    await tx`select tests.finish_activities(${phases.planning!})`;
    await tx`select public.complete_phase(${phases.planning!})`;
    await tx`select public.start_phase(${phases.scoping!})`;
    return { cycleReportId, phases, planningVersionId: planning.id, attributes, table, reportName };
  });
}
