import postgres from "postgres";
import { columnTypeOf, type SourceSchema } from "./schema.ts";
import { transaction } from "../transaction.ts";
import { quoteIdent } from "../rules/sql-text.ts";
import { type ColumnToMeasure, measureColumns } from "./stats.ts";
import {
  HostNotAllowedError,
  HostUnresolvedError,
  type SourcePolicy,
  exactHostOptions,
  sourceConnection,
  sourcePolicyFromEnv,
} from "./policy.ts";

/** Connection details of a `database` data source: one table of an external PostgreSQL. */
export interface PostgresTableSource {
  host: string;
  port?: number;
  database: string;
  schema?: string;
  table: string;
  user: string;
  password: string;
  connectTimeoutSeconds?: number;
  statementTimeoutMs?: number;
  /** Tables with at most this many rows are measured exactly; larger ones from statistics and a sample. */
  exactRowLimit?: number;
}

export type InspectErrorCode =
  | "host_not_allowed"
  | "unreachable"
  | "auth_failed"
  | "database_not_found"
  | "table_not_found"
  | "permission_denied"
  | "timeout"
  | "connection_failed";

/** Why a database source could not be inspected; the message never contains the password. */
export class InspectError extends Error {
  override readonly name = "InspectError";

  constructor(
    readonly code: InspectErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { code: InspectErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

const SAMPLE_ROWS = 10_000;
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
]);
const RELATION_KINDS = ["r", "p", "v", "m", "f"];

function explain(
  error: unknown,
  source: Required<Pick<PostgresTableSource, "host" | "port" | "database" | "user">>,
): unknown {
  if (error instanceof InspectError || !(error instanceof Error)) return error;
  const code = (error as { code?: string }).code ?? "";
  const where = `${source.host}:${source.port}`;
  if (UNREACHABLE.has(code))
    return new InspectError("unreachable", `Cannot reach a database server at ${where} (${code}).`);
  switch (code) {
    case "28P01":
    case "SASL_SIGNATURE_MISMATCH":
      return new InspectError("auth_failed", `The server at ${where} refused the password for user ${source.user}.`);
    case "28000":
      return new InspectError(
        "auth_failed",
        `User ${source.user} may not connect to database ${source.database}: ${error.message}`,
      );
    case "3D000":
      return new InspectError("database_not_found", `Database ${source.database} does not exist on ${where}.`);
    case "42501":
      return new InspectError("permission_denied", `User ${source.user} may not read this table: ${error.message}`);
    case "57014":
      return new InspectError("timeout", "Reading the table took too long; the statement timeout ended it.");
    default:
      return new InspectError("connection_failed", `Could not inspect the table: ${error.message}`);
  }
}

/**
 * "Test connection" for a database data source: connects with the source's own credentials, in a read-only
 * transaction under a statement timeout, checks the table exists and is readable, and returns its schema:
 * types from the catalog; exact counts for tables up to `exactRowLimit` rows, otherwise the row estimate,
 * pg_stats where the table has been analyzed, and a bounded sample. The host must be allowed by the policy
 * (DATABASE_SOURCE_ALLOWED_HOSTS by default): a refused one fails with `host_not_allowed` before any connection.
 */
export async function inspectPostgresTable(
  source: PostgresTableSource,
  policy: SourcePolicy = sourcePolicyFromEnv(),
): Promise<SourceSchema> {
  const port = source.port ?? 5432;
  let target: Awaited<ReturnType<typeof sourceConnection>>;
  try {
    target = await sourceConnection(source.host, policy);
  } catch (error) {
    if (error instanceof HostNotAllowedError) throw new InspectError("host_not_allowed", error.message);
    if (error instanceof HostUnresolvedError) {
      throw new InspectError(
        "unreachable",
        `Cannot reach a database server at ${source.host}:${port} (${error.code}).`,
      );
    }
    throw error;
  }
  const schema = source.schema ?? "public";
  const exactRowLimit = source.exactRowLimit ?? 100_000;
  const sql = postgres({
    ...exactHostOptions(target.host, port),
    database: source.database,
    username: source.user,
    password: source.password,
    ssl: target.ssl,
    max: 1,
    connect_timeout: source.connectTimeoutSeconds ?? 5,
    idle_timeout: 1,
    onnotice: () => undefined,
    connection: { application_name: "data source inspection" },
  });
  try {
    return await transaction(
      sql,
      async (tx) => {
        await tx`select set_config('statement_timeout', ${String(source.statementTimeoutMs ?? 15_000)}, true)`;
        const [relation] = await tx<{ oid: number; reltuples: number; readable: boolean }[]>`
        select c.oid, c.reltuples::float8 as reltuples, has_table_privilege(c.oid, 'select') as readable
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relname = ${source.table} and c.relkind = any(${RELATION_KINDS})`;
        if (!relation) throw await missingTable(tx, schema, source.table, source.database);
        if (!relation.readable) {
          throw new InspectError("permission_denied", `User ${source.user} may not read ${schema}.${source.table}.`);
        }
        const columns = await tx<ColumnToMeasure[]>`
        select a.attname as name, a.attname as "originalName", a.attnum::int as position,
               format_type(a.atttypid, a.atttypmod) as "pgType", not a.attnotnull as nullable
        from pg_catalog.pg_attribute a
        where a.attrelid = ${relation.oid} and a.attnum > 0 and not a.attisdropped
        order by a.attnum`;
        for (const column of columns) column.type = columnTypeOf(column.pgType);
        const table = `${quoteIdent(schema)}.${quoteIdent(source.table)}`;
        const [{ bounded } = { bounded: 0 }] = await tx.unsafe(
          `select count(*)::int as bounded from (select from ${table} limit ${exactRowLimit + 1}) as r`,
        );
        if (bounded <= exactRowLimit) {
          const measured = await measureColumns(tx, table, columns);
          return {
            schema,
            table: source.table,
            ...measured,
            rowCountIsEstimate: false,
            statsSource: "full_scan" as const,
          };
        }
        return await estimate(tx, schema, source.table, columns, relation.reltuples > 0 ? relation.reltuples : bounded);
      },
      "read only",
    );
  } catch (error) {
    throw explain(error, { host: source.host, port, database: source.database, user: source.user });
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function missingTable(
  tx: postgres.TransactionSql,
  schema: string,
  table: string,
  database: string,
): Promise<InspectError> {
  const near = await tx<{ name: string }[]>`
    select n.nspname || '.' || c.relname as name
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where lower(c.relname) = lower(${table}) and lower(n.nspname) = lower(${schema}) and c.relkind = any(${RELATION_KINDS})
    limit 1`;
  const hint = near[0] ? ` Did you mean ${near[0].name}? Names are case-sensitive.` : "";
  return new InspectError("table_not_found", `Table ${schema}.${table} does not exist in database ${database}.${hint}`);
}

/** Counts for a large table: the planner's row estimate and pg_stats where present, a bounded random sample otherwise. */
async function estimate(
  tx: postgres.TransactionSql,
  schema: string,
  tableName: string,
  columns: ColumnToMeasure[],
  rowCount: number,
): Promise<SourceSchema> {
  const table = `${quoteIdent(schema)}.${quoteIdent(tableName)}`;
  const percent = Math.min(100, Math.max(0.0001, (100 * 3 * SAMPLE_ROWS) / rowCount));
  const sample = await measureColumns(
    tx,
    `(select * from ${table} tablesample system (${percent}) limit ${SAMPLE_ROWS}) as s`,
    columns,
  );
  const stats = await tx<{ attname: string; null_frac: number; n_distinct: number }[]>`
    select attname, null_frac::float8 as null_frac, n_distinct::float8 as n_distinct
    from pg_catalog.pg_stats where schemaname = ${schema} and tablename = ${tableName}`;
  const byName = new Map(stats.map((s) => [s.attname, s]));
  const scale = sample.rowCount > 0 ? rowCount / sample.rowCount : 0;
  const all = columns.length > 0 && columns.every((c) => byName.has(c.name));
  return {
    schema,
    table: tableName,
    rowCount: Math.round(rowCount),
    rowCountIsEstimate: true,
    statsSource: all ? "pg_stats" : "sample",
    columns: sample.columns.map((column) => {
      const planner = byName.get(column.name);
      if (!planner) {
        return { ...column, nullCount: Math.round((column.nullCount ?? 0) * scale), distinctIsEstimate: true };
      }
      const distinct = planner.n_distinct >= 0 ? planner.n_distinct : -planner.n_distinct * rowCount;
      return {
        ...column,
        nullCount: Math.round(planner.null_frac * rowCount),
        distinctCount: Math.round(distinct),
        distinctIsEstimate: true,
      };
    }),
  };
}
