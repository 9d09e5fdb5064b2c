// A cycle report ready for requests to data providers: planning approved with the given attributes (mapped to an
// empty upload), scoping skipped and the data request started; built as the database operator, like the other
// fixtures, so tests in parallel never share state.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { createStartedCycleReport } from "./cycle-report-fixture.ts";

export interface DataRequestFixture {
  suffix: string;
  cycleReportId: number;
  /** Workflow phase ids by phase name. */
  phases: Record<string, string>;
  /** Approved planning attribute ids by name. */
  attributes: Record<string, string>;
}

export async function createDataRequestCycleReport(
  sql: postgres.Sql,
  options: { testerEmail: string; ownerEmail: string; attributes: string[] },
): Promise<DataRequestFixture> {
  const suffix = randomBytes(5).toString("hex");
  const table = `upload_req${suffix}`;
  return await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: "Requests " + suffix,
      regulation: "Reg R",
      cycleName: "Cycle " + suffix,
      period: ["2030-01-01", "2030-03-31"],
      ownerEmail: options.ownerEmail,
      testerEmail: options.testerEmail,
    });
    const [planning] = await tx<{ id: string }[]>`select id from public.create_version(${phases.planning!})`;
    const columns = options.attributes.map((name, i) => ({ name: `c${i}`, label: name }));
    await tx.unsafe(`create table source_data.${table} (${columns.map((c) => `"${c.name}" text`).join(", ")})`);
    const schema = {
      columns: columns.map((c, i) => ({
        name: c.name,
        originalName: c.name,
        position: i + 1,
        type: "text",
        pgType: "text",
      })),
    };
    const [source] = await tx<{ id: string }[]>`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
      values (${planning!.id}, 'Upload', 'file_upload', ${table}, ${tx.json(schema)}, 0, 'approved') returning id`;
    const attributes: Record<string, string> = {};
    for (const c of columns) {
      const [a] = await tx<{ id: string }[]>`
        insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, business_definition, tester_decision)
        values (${planning!.id}, ${c.label}, 'string', ${source!.id}, ${c.name}, ${"Definition of " + c.label}, 'approved')
        returning id`;
      attributes[c.label] = a!.id;
    }
    await tx`select public.submit_version(${planning!.id})`;
    await tx`select public.approve_version(${planning!.id})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = ${phases.scoping!}`;
    await tx`select public.start_phase(${phases.data_request!})`;
    return { suffix, cycleReportId, phases, attributes };
  });
}

export interface RequestInfoFixture extends DataRequestFixture {
  /** Approved sample ids by sample key. */
  samples: Record<string, string>;
}

/**
 * As createDataRequestCycleReport, then the data request, data profiling skipped and a sample selection of the
 * given keys approved and completed, the requests for information started.
 */
export async function createRequestInfoCycleReport(
  sql: postgres.Sql,
  options: { testerEmail: string; ownerEmail: string; attributes: string[]; samples: string[] },
): Promise<RequestInfoFixture> {
  const base = await createDataRequestCycleReport(sql, options);
  const { phases } = base;
  return await sql.begin(async (tx) => {
    await tx`select public.complete_activity(a.id) from public.workflow_activities a where a.phase_id = ${phases.data_request!}`;
    await tx`select public.complete_phase(${phases.data_request!})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = ${phases.data_profiling!}`;
    await tx`select public.start_phase(${phases.sample_selection!})`;
    const [version] = await tx<{ id: string }[]>`select id from public.create_version(${phases.sample_selection!})`;
    for (const [i, key] of options.samples.entries()) {
      await tx`insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason, tester_decision)
               values (${version!.id}, ${key}, ${i + 1}, 'chosen by the test', 'approved')`;
    }
    await tx`select public.submit_version(${version!.id})`;
    await tx`update public.sample_decisions set report_owner_decision = 'approved' where version_id = ${version!.id}`;
    await tx`select public.approve_version(${version!.id})`;
    await tx`select tests.finish_activities(${phases.sample_selection!})`;
    await tx`select public.complete_phase(${phases.sample_selection!})`;
    await tx`select public.start_phase(${phases.request_info!})`;
    const rows = await tx<{ id: string; sample_key: string }[]>`
      select id, sample_key from public.sample_decisions where version_id = ${version!.id}`;
    return { ...base, samples: Object.fromEntries(rows.map((r) => [r.sample_key, r.id])) };
  });
}
