// What the planning-sources function does with the database: file uploads loaded into source_data,
// database sources with their password kept privately, and connection tests that read a table's schema.
// Every write runs as the signed-in user (asUser), so the planning triggers judge their rights.
import type postgres from "postgres";
import { asUser } from "../_shared/as-user.ts";
import { HttpError } from "../_shared/http-errors.ts";
import { ingestCsv, SOURCE_SCHEMA, sourceTableName } from "../_shared/ingest/ingest.ts";
import { InspectError, inspectPostgresTable, type PostgresTableSource } from "../_shared/sources/postgres.ts";
import type { SourceSchema } from "../_shared/sources/schema.ts";
import { quoteIdent } from "../_shared/rules/sql-text.ts";

/** A data source row as JSON, as the REST API answers it (counts are numbers). */
export interface DataSourceRow {
  id: string;
  version_id: string;
  name: string;
  source_type: "file_upload" | "database";
  status: "pending" | "ready" | "error";
  row_count: number | null;
  error: string | null;
  [column: string]: unknown;
}

/** What a tester enters for a `database` source; the SSL mode is the deployment's (DATABASE_SOURCE_SSL). */
export type DatabaseConnection = Omit<PostgresTableSource, "ssl">;

/** What a data source stores of a measured table: its columns and how the counts were obtained. */
function storedSchema(schema: SourceSchema) {
  return { columns: schema.columns, rowCountIsEstimate: schema.rowCountIsEstimate, statsSource: schema.statsSource };
}

function checkDraft(tx: postgres.TransactionSql, versionId: string) {
  return tx`select 1 from private.check_planning_draft(${versionId})`;
}

/** 409 already_exists, naming the name, for a source name the version already has (names are unique per version). */
export function nameTaken(name: string): HttpError {
  return new HttpError(409, "already_exists", `The name “${name}” is already taken in this version; choose another.`);
}

/** Refuses a taken name before a byte of the file is loaded (the unique constraint stays the last word). */
async function refuseTakenName(tx: postgres.TransactionSql, versionId: string, name: string) {
  const [taken] = await tx`
    select 1 from public.planning_data_sources where version_id = ${versionId} and name = ${name}`;
  if (taken) throw nameTaken(name);
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "23505";

/**
 * Loads an uploaded CSV into its own table and records it as a data source of the version. The user's right to
 * change the version is checked before any byte is loaded; a refused file leaves no table (ingestCsv works in
 * one transaction), and a source row that cannot be written takes its new table with it.
 */
export async function uploadFileSource(
  sql: postgres.Sql,
  userId: string,
  input: { versionId: string; name: string; stream: ReadableStream<Uint8Array>; maxBytes: number },
): Promise<DataSourceRow> {
  try {
    await asUser(sql, userId, async (tx) => {
      await checkDraft(tx, input.versionId);
      await refuseTakenName(tx, input.versionId, input.name);
    });
  } catch (error) {
    await input.stream.cancel().catch(() => undefined);
    throw error;
  }
  const id = crypto.randomUUID();
  const tableName = sourceTableName(id);
  const schema = await ingestCsv({
    sql,
    stream: input.stream,
    tableName,
    maxBytes: input.maxBytes,
    fileName: input.name,
  });
  try {
    const [row] = await asUser(
      sql,
      userId,
      (tx) => tx<{ row: DataSourceRow }[]>`
        insert into public.planning_data_sources (id, version_id, name, source_type, table_name, schema, row_count, checked_at)
        values (${id}, ${input.versionId}, ${input.name}, 'file_upload', ${tableName}, ${sql.json(storedSchema(schema) as never)},
                ${schema.rowCount}, now())
        returning to_jsonb(planning_data_sources.*) as row`,
    );
    return row!.row;
  } catch (error) {
    await sql.unsafe(`drop table if exists ${quoteIdent(SOURCE_SCHEMA)}.${quoteIdent(tableName)}`);
    throw isUniqueViolation(error) ? nameTaken(input.name) : error;
  }
}

/** Records a database source of the version; its password goes to the private table in the same transaction. */
export async function addDatabaseSource(
  sql: postgres.Sql,
  userId: string,
  input: { versionId: string; name: string; description?: string | null; connection: DatabaseConnection },
): Promise<DataSourceRow> {
  const { connection: c } = input;
  return await asUser(sql, userId, async (tx) => {
    await checkDraft(tx, input.versionId);
    await refuseTakenName(tx, input.versionId, input.name);
    const [row] = await tx<{ row: DataSourceRow }[]>`
      insert into public.planning_data_sources (version_id, name, description, source_type, host, port, database_name,
        schema_name, table_name, username)
      values (${input.versionId}, ${input.name}, ${input.description ?? null}, 'database', ${c.host}, ${c.port ?? 5432},
              ${c.database}, ${c.schema ?? "public"}, ${c.table}, ${c.user})
      returning to_jsonb(planning_data_sources.*) as row`;
    await tx`insert into private.planning_data_source_secrets (data_source_id, password) values (${row!.row.id}, ${c.password})`;
    return row!.row;
  });
}

/**
 * Corrects a database source of a draft: its name, description and connection, and its password when a new one
 * is given (blank keeps the stored one). The source goes back to "not tested" with its last schema kept until
 * the next test, which the caller runs next (the app does so right after an edit).
 */
export async function updateDatabaseSource(
  sql: postgres.Sql,
  userId: string,
  sourceId: string,
  input: {
    name: string;
    description?: string | null;
    connection: Omit<DatabaseConnection, "password">;
    password?: string;
  },
): Promise<DataSourceRow> {
  const { connection: c } = input;
  return await asUser(sql, userId, async (tx) => {
    const [found] = await tx<{ version_id: string; source_type: string }[]>`
      select version_id, source_type from public.planning_data_sources where id = ${sourceId} for update`;
    if (!found)
      throw new HttpError(404, "data_source_not_found", "This data source does not exist or is not visible to you.");
    await checkDraft(tx, found.version_id);
    if (found.source_type !== "database") {
      throw new HttpError(409, "not_a_database_source", "Only a database source has a connection to correct.");
    }
    const [taken] = await tx`
      select 1 from public.planning_data_sources
       where version_id = ${found.version_id} and name = ${input.name} and id <> ${sourceId}`;
    if (taken) throw nameTaken(input.name);
    const [row] = await tx<{ row: DataSourceRow }[]>`
      update public.planning_data_sources
         set name = ${input.name}, description = ${input.description ?? null}, host = ${c.host}, port = ${c.port ?? 5432},
             database_name = ${c.database}, schema_name = ${c.schema ?? "public"}, table_name = ${c.table},
             username = ${c.user}, status = 'pending', error = null, checked_at = null
       where id = ${sourceId}
       returning to_jsonb(planning_data_sources.*) as row`;
    if (input.password) {
      await tx`
        insert into private.planning_data_source_secrets (data_source_id, password) values (${sourceId}, ${input.password})
        on conflict (data_source_id) do update set password = excluded.password`;
    }
    return row!.row;
  });
}

interface StoredConnection {
  version_id: string;
  source_type: string;
  host: string;
  port: number;
  database_name: string;
  schema_name: string;
  table_name: string;
  username: string;
  password: string | null;
}

/** Connects with a stored connection and reads its table's schema, or says why it could not. */
async function inspectStored(
  stored: Omit<StoredConnection, "version_id"> & { password: string },
  inspect: typeof inspectPostgresTable,
): Promise<{ schema: SourceSchema | null; failure: InspectError | null }> {
  try {
    const schema = await inspect({
      host: stored.host,
      port: stored.port,
      database: stored.database_name,
      schema: stored.schema_name,
      table: stored.table_name,
      user: stored.username,
      password: stored.password,
    });
    return { schema, failure: null };
  } catch (error) {
    if (!(error instanceof InspectError)) throw error;
    return { schema: null, failure: error };
  }
}

/**
 * Connects with a source's stored connection and records the outcome on its row, as the user: the table's schema
 * (ready) or why it could not be read (error).
 */
async function recordConnectionTest<Row>(
  sql: postgres.Sql,
  userId: string,
  table: "planning_data_sources" | "request_data_sources",
  sourceId: string,
  stored: Omit<StoredConnection, "version_id">,
  inspect: typeof inspectPostgresTable,
): Promise<{ source: Row; failure: InspectError | null }> {
  if (stored.source_type !== "database" || stored.password === null) {
    throw new HttpError(
      409,
      "not_a_database_source",
      "Only database sources with a stored password have a connection to test.",
    );
  }
  const { schema, failure } = await inspectStored({ ...stored, password: stored.password }, inspect);
  const target = sql(`public.${table}`);
  const [source] = await asUser(sql, userId, (tx) =>
    schema
      ? tx<{ row: Row }[]>`
          update ${target}
             set status = 'ready', schema = ${sql.json(storedSchema(schema) as never)}, row_count = ${schema.rowCount},
                 error = null, checked_at = now()
           where id = ${sourceId} returning to_jsonb(${sql(table)}.*) as row`
      : tx<{ row: Row }[]>`
          update ${target} set status = 'error', error = ${failure!.message}, checked_at = now()
           where id = ${sourceId} returning to_jsonb(${sql(table)}.*) as row`,
  );
  return { source: source!.row, failure };
}

/**
 * "Test connection": connects to the source's database with its stored credentials, reads the table's schema
 * and records it (ready), or records why it failed (error). Only for sources the user may change.
 */
export async function testDatabaseSource(
  sql: postgres.Sql,
  userId: string,
  sourceId: string,
  inspect: typeof inspectPostgresTable = inspectPostgresTable,
): Promise<{ source: DataSourceRow; failure: InspectError | null }> {
  const stored = await asUser(sql, userId, async (tx) => {
    const [found] = await tx<StoredConnection[]>`
      select s.version_id, s.source_type, s.host, s.port, s.database_name, s.schema_name, s.table_name, s.username,
             p.password
        from public.planning_data_sources s
        left join private.planning_data_source_secrets p on p.data_source_id = s.id
       where s.id = ${sourceId}`;
    if (!found)
      throw new HttpError(404, "data_source_not_found", "This data source does not exist or is not visible to you.");
    await checkDraft(tx, found.version_id);
    return found;
  });
  return recordConnectionTest<DataSourceRow>(sql, userId, "planning_data_sources", sourceId, stored, inspect);
}

// Sources given as responses to data requests ------------------------------------------------------------------
// The same ingestion, host policy and connection test as planning's sources; the row is a request_data_sources
// one, owned by the response (decision 029). The database judges the provider: private.check_request_source_response
// before a byte is loaded, the table's guard on every write.

/** A response's data source as JSON, as the REST API answers it. */
export interface ResponseSourceRow extends Omit<DataSourceRow, "version_id"> {
  response_id: number;
  request_id: number;
  item_id: number;
  attribute_name: string;
}

function checkResponse(tx: postgres.TransactionSql, responseId: number, itemId: number | null) {
  return tx`select 1 from private.check_request_source_response(${responseId}, ${itemId})`;
}

/** Loads a CSV given as a response's data source into its own table and records it for the response's item. */
export async function uploadResponseSource(
  sql: postgres.Sql,
  userId: string,
  input: {
    responseId: number;
    itemId: number | null;
    name: string;
    stream: ReadableStream<Uint8Array>;
    maxBytes: number;
  },
): Promise<ResponseSourceRow> {
  try {
    await asUser(sql, userId, (tx) => checkResponse(tx, input.responseId, input.itemId));
  } catch (error) {
    await input.stream.cancel().catch(() => undefined);
    throw error;
  }
  const id = crypto.randomUUID();
  const tableName = sourceTableName(id);
  const schema = await ingestCsv({
    sql,
    stream: input.stream,
    tableName,
    maxBytes: input.maxBytes,
    fileName: input.name,
  });
  try {
    const [row] = await asUser(
      sql,
      userId,
      (tx) => tx<{ row: ResponseSourceRow }[]>`
        insert into public.request_data_sources (id, response_id, item_id, name, source_type, table_name, schema, row_count)
        values (${id}, ${input.responseId}, ${input.itemId}, ${input.name}, 'file_upload', ${tableName},
                ${sql.json(storedSchema(schema) as never)}, ${schema.rowCount})
        returning to_jsonb(request_data_sources.*) as row`,
    );
    return row!.row;
  } catch (error) {
    await sql.unsafe(`drop table if exists ${quoteIdent(SOURCE_SCHEMA)}.${quoteIdent(tableName)}`);
    throw error;
  }
}

/** Records a database source given as a response's data source; its password goes to the private table. */
export async function addResponseDatabaseSource(
  sql: postgres.Sql,
  userId: string,
  input: { responseId: number; itemId: number | null; name: string; connection: DatabaseConnection },
): Promise<ResponseSourceRow> {
  const { connection: c } = input;
  return await asUser(sql, userId, async (tx) => {
    await checkResponse(tx, input.responseId, input.itemId);
    const [row] = await tx<{ row: ResponseSourceRow }[]>`
      insert into public.request_data_sources (response_id, item_id, name, source_type, host, port, database_name,
        schema_name, table_name, username)
      values (${input.responseId}, ${input.itemId}, ${input.name}, 'database', ${c.host}, ${c.port ?? 5432},
              ${c.database}, ${c.schema ?? "public"}, ${c.table}, ${c.user})
      returning to_jsonb(request_data_sources.*) as row`;
    await tx`insert into private.request_data_source_secrets (data_source_id, password) values (${row!.row.id as string}, ${c.password})`;
    return row!.row;
  });
}

/** "Test connection" of a response's database source, by its provider while the request awaits the response. */
export async function testResponseSource(
  sql: postgres.Sql,
  userId: string,
  sourceId: string,
  inspect: typeof inspectPostgresTable = inspectPostgresTable,
): Promise<{ source: ResponseSourceRow; failure: InspectError | null }> {
  const stored = await asUser(sql, userId, async (tx) => {
    await tx`select private.check_request_source_test(${sourceId})`;
    const [found] = await tx<Omit<StoredConnection, "version_id">[]>`
      select s.source_type, s.host, s.port, s.database_name, s.schema_name, s.table_name, s.username, p.password
        from public.request_data_sources s
        left join private.request_data_source_secrets p on p.data_source_id = s.id
       where s.id = ${sourceId}`;
    return found!;
  });
  return recordConnectionTest<ResponseSourceRow>(sql, userId, "request_data_sources", sourceId, stored, inspect);
}
