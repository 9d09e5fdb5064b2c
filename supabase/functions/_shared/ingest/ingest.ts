import process from "node:process";
import type postgres from "postgres";
import type { SourceSchema } from "../sources/schema.ts";
import { quoteIdent, quoteLiteral } from "../rules/sql-text.ts";
import { measureColumns } from "../sources/stats.ts";
import { transaction } from "../transaction.ts";
import { copyRecords } from "./copy.ts";
import { csvRecords } from "./csv.ts";
import { IngestError, refusalOfDatabaseError } from "./errors.ts";
import { guardBytes } from "./guard.ts";
import { readHeader } from "./headers.ts";
import { inferAndConvert } from "./infer.ts";

export { IngestError } from "./errors.ts";
export type { IngestErrorCode } from "./errors.ts";

/** Uploaded files land here, one table per file data source; the REST API does not expose this schema. */
export const SOURCE_SCHEMA = "source_data";
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface IngestProgress {
  stage: "loading" | "analyzing" | "done";
  bytes: number;
  rows: number;
}

export interface IngestOptions {
  /** A connection allowed to create tables in source_data (the functions' database connection). */
  sql: postgres.Sql;
  stream: ReadableStream<Uint8Array>;
  /** Name of the new table in source_data; see sourceTableName. */
  tableName: string;
  /** Defaults to UPLOAD_MAX_BYTES, else 50 MB. */
  maxBytes?: number;
  /** The uploaded file's name, kept in the table's comment. */
  fileName?: string;
  onProgress?: (progress: IngestProgress) => void;
}

/** The name of a file data source's table: stable, unique per data source, always a safe identifier. */
export function sourceTableName(dataSourceId: string): string {
  return `upload_${dataSourceId.toLowerCase().replace(/[^a-z0-9]/g, "")}`.slice(0, 63);
}

/** The upload size limit: UPLOAD_MAX_BYTES when set, else 50 MB. */
export function uploadMaxBytes(): number {
  const configured = process.env.UPLOAD_MAX_BYTES;
  if (configured === undefined || configured === "") return DEFAULT_MAX_BYTES;
  const bytes = Number(configured);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new Error(`UPLOAD_MAX_BYTES must be a positive whole number of bytes, got "${configured}"`);
  }
  return bytes;
}

/**
 * Loads an uploaded CSV into a new table source_data.<tableName> and returns its schema. The file is
 * streamed (never held whole in memory): checked as UTF-8 and against the size limit, parsed, COPYed into
 * text columns, then each column is given the narrowest type all its values fit. Everything happens in one
 * transaction, so a refused file leaves no table and no rows behind. Refusals are IngestErrors.
 */
export async function ingestCsv(options: IngestOptions): Promise<SourceSchema> {
  const { sql, stream, tableName, fileName, onProgress } = options;
  if (!TABLE_NAME.test(tableName)) {
    await stream.cancel().catch(() => undefined);
    throw new IngestError("bad_table_name", `"${tableName}" is not a valid table name for an upload.`);
  }
  const table = `${quoteIdent(SOURCE_SCHEMA)}.${quoteIdent(tableName)}`;
  let bytes = 0;
  let rows = 0;
  const report = (stage: IngestProgress["stage"]) => onProgress?.({ stage, bytes, rows });
  const guarded = stream.pipeThrough(guardBytes(options.maxBytes ?? uploadMaxBytes(), (total) => (bytes = total)));
  const records = csvRecords(guarded);
  try {
    // The header is checked before the transaction starts: a bad one costs no database work.
    const first = await records.next();
    if (first.done) throw new IngestError("empty_file", "The file has no header row (it holds only blank lines).");
    const header = readHeader(first.value.fields, first.value.line);

    // A failure anywhere below rolls the transaction back and releases its connection before the error is
    // answered; errors of the file itself become refusals.
    return await transaction(sql, async (tx) => {
      await tx.unsafe(`set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'`).simple();
      const exists = await tx`select to_regclass(${`${table}`}) is not null as exists`;
      if (exists[0]?.exists) {
        throw new IngestError("table_exists", `A table named ${tableName} already exists in ${SOURCE_SCHEMA}.`);
      }
      await tx.unsafe(`create table ${table} (${header.map((c) => `${quoteIdent(c.name)} text`).join(", ")})`);
      report("loading");
      rows = await copyRecords(tx, table, header, records, (loaded) => {
        rows = loaded;
        report("loading");
      });
      if (rows === 0)
        throw new IngestError("no_rows", "The file has a header row but no data rows.", first.value.line + 1);
      report("analyzing");
      const typed = await inferAndConvert(tx, SOURCE_SCHEMA, tableName, header);
      await describe(tx, table, typed, fileName);
      // Statistics for the planner and for the rule executor's value pass (rules/value-pass.ts).
      await tx.unsafe(`analyze ${table}`);
      const measured = await measureColumns(tx, table, typed);
      report("done");
      return {
        schema: SOURCE_SCHEMA,
        table: tableName,
        columns: measured.columns,
        rowCount: measured.rowCount,
        rowCountIsEstimate: false,
        statsSource: "full_scan" as const,
      };
    });
  } catch (error) {
    throw refusalOfDatabaseError(error) ?? error;
  } finally {
    await records.return(undefined);
  }
}

/**
 * Comments for Studio (where each column came from), read access for the rule executor, behind its tokens, and the
 * trigger that invalidates the table's kept population statistics when it changes.
 */
async function describe(
  tx: postgres.TransactionSql,
  table: string,
  columns: { name: string; originalName: string }[],
  fileName: string | undefined,
): Promise<void> {
  const origin = fileName ? `Uploaded file ${fileName}` : "Uploaded CSV file";
  const statements = [
    `comment on table ${table} is ${quoteLiteral(`${origin}, loaded ${new Date().toISOString()}.`)}`,
    ...columns.map(
      (c) =>
        `comment on column ${table}.${quoteIdent(c.name)} is ${quoteLiteral(`Header in the file: ${c.originalName}`)}`,
    ),
    `grant select on table ${table} to rule_executor`,
    // Row-level security: rule_executor reads it only for a job that runs on it (also done by an event trigger
    // where the database allows one).
    `select private.protect_source_table(${quoteLiteral(table)}::regclass)`,
    // The statement trigger that keeps the table's population statistics truthful for sample selection (also
    // installed by an event trigger where the database allows one, and by the first draw).
    `select private.watch_population_table(${quoteLiteral(table)}::regclass)`,
  ];
  await tx.unsafe(statements.join(";\n")).simple();
}
