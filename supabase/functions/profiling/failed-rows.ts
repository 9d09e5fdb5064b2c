// Every failing row of one rule's result as CSV, streamed: GET /profiling/results/:id/failed-rows.
//
// The rule is re-evaluated against its data source at export time (decision 033), in one read-only
// transaction as the rule executor, with the rule's compiled condition; rows are read through a cursor and
// written as they come, so memory does not grow with the number of rows and the first rows leave before the
// last are read. An upload is immutable and the rules of an approved version do not change, so the export of
// an upload's result has exactly the run's failed count; a database source is read as it is now, which the
// response says (X-Failed-Rows-Basis: live) beside the run's count (X-Run-Failed-Count).
//
// Masked columns (private.profiling_masked_source_columns, decided now) are replaced by '***' in the SQL
// itself: their values never leave the database, let alone this function.
import type postgres from "postgres";
import { asUser } from "../_shared/as-user.ts";
import { HttpError } from "../_shared/http-errors.ts";
import { asService } from "../_shared/jobs/queue.ts";
import type { ColumnInfo } from "../_shared/rules/columns.ts";
import { compileRules } from "../_shared/rules/compile.ts";
import { loadColumns, prepareTransaction } from "../_shared/rules/execute.ts";
import { openExternalSource, projectDatabase, type SourceDatabase } from "../_shared/sources/connect.ts";
import { HostNotAllowedError, type SourcePolicy } from "../_shared/sources/policy.ts";
import { transaction } from "../_shared/transaction.ts";
import type { RuleSource } from "./load.ts";

/** Rows fetched from the cursor at a time. */
const BATCH_ROWS = 500;

export interface FailedRowsExport {
  fileName: string;
  ruleName: string;
  /** The run's failed count, for the reader to compare. */
  runFailedCount: number;
  /** run: the rows the run judged (an upload); live: the database source as it is now. */
  basis: "run" | "live";
  columns: ColumnInfo[];
  maskedColumns: string[];
  body: ReadableStream<Uint8Array>;
}

interface ResultSource extends Omit<RuleSource, "rules"> {
  rule_id: string;
  rule_name: string;
  definition: unknown;
  failed_count: string;
}

/**
 * A CSV field. Text a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe,
 * except plain numbers (a negative balance stays -2500).
 */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe =
    /^[=+\-@\t\r]/.test(value) && !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(values: (string | null)[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

/** Who may export is the database's decision, taken as the signed-in user; the token reads the upload. */
async function openExport(sql: postgres.Sql, userId: string, resultId: string): Promise<string | null> {
  return await asUser(sql, userId, async (tx) => {
    await tx`select set_config('role', 'authenticated', true)`;
    const [row] = await tx<{ token: string | null }[]>`select private.open_failed_rows_export(${resultId}) as token`;
    return row!.token;
  });
}

async function loadResultSource(sql: postgres.Sql, resultId: string): Promise<ResultSource> {
  const [row] = await asService(
    sql,
    (tx) => tx<ResultSource[]>`
      select ru.id as rule_id, ru.name as rule_name, ru.definition, r.failed_count::text as failed_count,
             s.id, s.name, s.source_type, s.schema_name, s.table_name, s.host, s.port, s.database_name, s.username,
             secret.password, private.profiling_masked_source_columns(s.id) as masked_columns
        from public.profiling_rule_results r
        join public.profiling_rules ru on ru.id = r.rule_id
        join public.planning_attributes a on a.id = ru.attribute_id
        join public.planning_data_sources s on s.id = a.data_source_id
        left join private.planning_data_source_secrets secret on secret.data_source_id = s.id
       where r.id = ${resultId}`,
  );
  if (!row) throw new HttpError(404, "result_not_found", "This result does not exist or is not visible to you.");
  return row;
}

async function openSource(
  sql: postgres.Sql,
  source: ResultSource,
  token: string | null,
  policy: SourcePolicy,
): Promise<SourceDatabase> {
  if (source.source_type === "file_upload") {
    const close = () =>
      asService(sql, (tx) => tx`select private.close_rule_execution(${token})`).then(
        () => undefined,
        () => undefined,
      );
    return { ...projectDatabase(sql), executionToken: token, close };
  }
  try {
    return await openExternalSource(source, policy, "failed-rows export");
  } catch (error) {
    if (error instanceof HostNotAllowedError) throw new HttpError(409, "host_not_allowed", error.message);
    throw error;
  }
}

const unavailable = (source: ResultSource) =>
  new HttpError(
    502,
    "source_unavailable",
    `Data source ${source.name} could not be read for the export; nothing was exported.`,
  );

/**
 * Prepares the export of result `resultId` for user `userId`: refusals (not visible, not completed, the rule no
 * longer compiles, the source unreachable) are thrown as HttpErrors before any byte of the file is sent; the
 * stream then carries the header line and every failing row.
 */
export async function exportFailedRows(
  sql: postgres.Sql,
  userId: string,
  resultId: string,
  policy: SourcePolicy,
  { statementTimeoutMs = 600_000 }: { statementTimeoutMs?: number } = {},
): Promise<FailedRowsExport> {
  const token = await openExport(sql, userId, resultId);
  const source = await loadResultSource(sql, resultId);
  const database = await openSource(sql, source, token, policy);
  let started = false;
  try {
    // Column names and types are catalog data: read on the functions' own connection for an upload.
    const columns = await loadColumns(
      source.source_type === "file_upload" ? sql : database.db,
      source.schema_name,
      source.table_name,
    ).catch(() => {
      throw unavailable(source);
    });
    if (columns.length === 0) throw unavailable(source);
    const plan = compileRules([{ id: source.rule_id, definition: source.definition }], {
      schema: source.schema_name,
      table: source.table_name,
      columns,
      maskedColumns: source.masked_columns,
      sampleSize: 0,
    });
    const rule = plan.rules.get(source.rule_id);
    if (!rule) {
      throw new HttpError(
        409,
        "rule_not_executable",
        `The rule no longer fits its table: ${plan.invalid[0]?.errors.join("; ")}`,
      );
    }
    const body = csvStream(async (emit) => {
      await transaction(
        database.db,
        async (tx) => {
          await prepareTransaction(tx, {
            role: database.role,
            executionToken: database.executionToken,
            statementTimeoutMs,
          });
          await emit(csvLine(columns.map((c) => c.name)));
          const cursor = tx
            .unsafe(rule.exportRows.sql, rule.exportRows.params as postgres.ParameterOrJSON<never>[], {
              prepare: false,
            })
            .values()
            .cursor(BATCH_ROWS);
          for await (const rows of cursor) {
            await emit(rows.map((values) => csvLine(values as (string | null)[])).join(""));
          }
        },
        "read only",
      );
    }, database.close);
    started = true;
    return {
      fileName: `failed-rows-${fileSafe(source.rule_name)}-${resultId}.csv`,
      ruleName: source.rule_name,
      runFailedCount: Number(source.failed_count),
      basis: source.source_type === "file_upload" ? "run" : "live",
      columns,
      maskedColumns: source.masked_columns,
      body,
    };
  } finally {
    if (!started) await database.close();
  }
}

function fileSafe(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .toLowerCase() || "rule"
  );
}

class ExportCancelled extends Error {}

/**
 * A byte stream fed by `produce`, which waits whenever the reader is behind (about 256 KiB queued), so a slow
 * download holds the cursor instead of filling memory; a reader that goes away stops `produce` at its next write.
 */
export function csvStream(
  produce: (emit: (text: string) => Promise<void>) => Promise<void>,
  onDone: () => Promise<void>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cancelled = false;
  let wake: (() => void) | undefined;
  const resume = () => {
    wake?.();
    wake = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const emit = async (text: string) => {
          if (cancelled) throw new ExportCancelled();
          controller.enqueue(encoder.encode(text));
          while (!cancelled && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((r) => (wake = r));
          if (cancelled) throw new ExportCancelled();
        };
        // Started once the response is being read; an error after the first bytes can only cut the file short,
        // which the reader sees as a broken download, never as a complete file.
        void produce(emit)
          .then(
            () => controller.close(),
            (error) => {
              if (cancelled) return;
              console.error(`failed-rows export: ${error instanceof Error ? error.message : String(error)}`);
              controller.error(error);
            },
          )
          .finally(() => void onDone());
      },
      pull: resume,
      cancel() {
        cancelled = true;
        resume();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
  );
}
