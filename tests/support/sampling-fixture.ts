// A cycle report ready for sample selection: an approved planning version with one upload (loan_id, amount,
// region, tax_id; tax_id classified confidential) filled with `rows` loans, scoping, data request and data
// profiling skipped, and the sample-selection phase started. Built as the database operator. With `database`, the
// planning version also has a database data source reading the same loans from an external database (a second
// database of the test cluster, on loopback: createRemotePopulation).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
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
  /** The database data source, when asked for. */
  databaseSourceId?: string;
}

/** A table of loans in another database of the test cluster, read by a login of its own. */
export interface RemotePopulation {
  host: string;
  port: number;
  database: string;
  schema: string;
  table: string;
  user: string;
  password: string;
  /** A connection to that database as the cluster's operator, to change its rows. */
  admin: postgres.Sql;
  drop(): Promise<void>;
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
  /** A database data source on this remote population, with attributes as the upload's but classifications of its own. */
  database?: { population: RemotePopulation; attributes?: readonly (readonly [string, string, string])[] };
}

/**
 * Creates a database on the test cluster holding `schema.table` (loan_id, amount, region, tax_id) with the loans of
 * createSamplingFixture (same rows), readable by a new login that may read only `readable` of its columns
 * (all by default).
 */
export async function createRemotePopulation(
  sql: postgres.Sql,
  dbUrl: string,
  options: { rows: number; keyDigits?: number; readable?: string[] },
): Promise<RemotePopulation> {
  const suffix = randomBytes(4).toString("hex");
  const database = `samp_ext_${suffix}`;
  const user = `samp_reader_${suffix}`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  await sql.unsafe(`create database ${database}`);
  await sql.unsafe(`create role ${user} login password '${password}'`);
  const url = new URL(dbUrl);
  url.pathname = `/${database}`;
  const admin = postgres(url.toString(), { max: 2, onnotice: () => undefined });
  const columns = options.readable ?? ["loan_id", "amount", "region", "tax_id"];
  await admin.unsafe(`create schema finance`);
  await admin.unsafe(`create table finance.loans (loan_id text primary key, amount numeric, region text, tax_id text)`);
  await admin.unsafe(
    `insert into finance.loans
     select 'L' || lpad(i::text, $2::int, '0'), i * 10, (array['north', 'south', 'east', 'west'])[1 + i % 4], 'TAX-' || i
       from generate_series(1, $1::int) i`,
    [options.rows, options.keyDigits ?? 5],
  );
  await admin.unsafe(`grant usage on schema finance to ${user}`);
  await admin.unsafe(`grant select (${columns.join(", ")}) on finance.loans to ${user}`);
  return {
    host: url.hostname,
    port: Number(url.port),
    database,
    schema: "finance",
    table: "loans",
    user,
    password,
    admin,
    async drop() {
      await admin.end();
      await sql.unsafe(`drop database if exists ${database} with (force)`);
      await sql.unsafe(`drop role if exists ${user}`);
    },
  };
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
    let databaseSourceId: string | undefined;
    if (options.database) {
      const remote = options.database.population;
      const [db] = await tx<[{ id: string }]>`
        insert into public.planning_data_sources (version_id, name, source_type, host, port, database_name, schema_name,
          table_name, username, schema, row_count, status, checked_at, tester_decision)
        values (${planning.id}, 'Loans (core banking)', 'database', ${remote.host}, ${remote.port}, ${remote.database},
          ${remote.schema}, ${remote.table}, ${remote.user}, ${tx.json({ columns })}, ${options.rows}, 'ready', now(), 'approved')
        returning id`;
      await tx`insert into private.planning_data_source_secrets (data_source_id, password) values (${db.id}, ${remote.password})`;
      for (const [name, column, classification] of options.database.attributes ?? defaultAttributes) {
        await tx`
          insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
          values (${planning.id}, ${name + " (core banking)"}, 'string', ${db.id}, ${column}, ${classification}, 'approved')`;
      }
      databaseSourceId = db.id;
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
      databaseSourceId,
    };
  });
}
