// Where a data source's rows are read: the project database as rule_executor (uploads), or the external
// database as the source's user, on the address the source policy allowed (a refused host fails before any
// connection). Rule execution and the offline provider's probe read sources the same way. On the project
// database rule_executor reads an upload only with a token issued for the running job and that table.
import process from "node:process";
import postgres from "postgres";
import { asService } from "../jobs/queue.ts";
import { quoteTable } from "../rules/sql-text.ts";
import { exactHostOptions, type SourcePolicy, sourceConnection } from "./policy.ts";

export interface SourceConnectionDetails {
  name: string;
  source_type: "file_upload" | "database";
  host: string | null;
  port: number | null;
  database_name: string | null;
  username: string | null;
  password: string | null;
  schema_name: string;
  table_name: string;
}

export interface SourceDatabase {
  db: postgres.Sql;
  /** The role to switch to in each transaction (null: the connection's own user). */
  role: string | null;
  /** For an upload: the rule-execution token its transactions present (private.open_rule_execution). */
  executionToken: string | null;
  close(): Promise<void>;
}

let executorPool: postgres.Sql | undefined;
let warnedNoExecutorLogin = false;

/**
 * The project database as rule_executor: over its own login (RULE_EXECUTOR_DB_URL) when configured, so the
 * rules' SQL can never become another role; otherwise by `set local role` on the functions' connection.
 */
export function projectDatabase(sql: postgres.Sql): { db: postgres.Sql; role: string | null } {
  const url = process.env.RULE_EXECUTOR_DB_URL;
  if (url) {
    executorPool ??= postgres(url, { max: 2, idle_timeout: 30, connect_timeout: 5, onnotice: () => undefined });
    return { db: executorPool, role: null };
  }
  if (!warnedNoExecutorLogin) {
    warnedNoExecutorLogin = true;
    console.warn("RULE_EXECUTOR_DB_URL is not set: rules run by switching role on the functions' connection.");
  }
  return { db: sql, role: "rule_executor" };
}

/** Opens what the running job `jobId` needs to read the source's table, and closes it again. */
export async function connectSource(
  sql: postgres.Sql,
  source: SourceConnectionDetails,
  policy: SourcePolicy,
  jobId: string,
  applicationName = "data profiling",
): Promise<SourceDatabase> {
  if (source.source_type === "file_upload") {
    const table = quoteTable(source.schema_name, source.table_name);
    const token = await asService(sql, async (tx) => {
      const [row] = await tx<{ token: string }[]>`
        select private.open_rule_execution(${jobId}, array[${table}]::text[]) as token`;
      return row!.token;
    });
    const close = () =>
      asService(sql, (tx) => tx`select private.close_rule_execution(${token})`).then(
        () => undefined,
        () => undefined,
      );
    return { ...projectDatabase(sql), executionToken: token, close };
  }
  return await openExternalSource(source, policy, applicationName);
}

/** An external database source over its own login, on the address the source policy allowed. */
export async function openExternalSource(
  source: SourceConnectionDetails,
  policy: SourcePolicy,
  applicationName: string,
): Promise<SourceDatabase> {
  const target = await sourceConnection(source.host!, policy);
  const db = postgres({
    ...exactHostOptions(target.host, source.port ?? 5432),
    database: source.database_name!,
    username: source.username!,
    password: source.password ?? "",
    ssl: target.ssl,
    max: 1,
    connect_timeout: 5,
    idle_timeout: 1,
    onnotice: () => undefined,
    connection: { application_name: applicationName },
  });
  return { db, role: null, executionToken: null, close: () => db.end({ timeout: 1 }) };
}
