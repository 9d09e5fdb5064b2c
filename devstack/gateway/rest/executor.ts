import postgres, { type Sql } from "postgres";
import { pgrstError } from "./errors.ts";

/** Per-request settings PostgREST applies inside the transaction before the generated statement. */
const settingsStatement =
  "select set_config('search_path', 'public, extensions', true), set_config('role', $1, true), " +
  "set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true), " +
  "set_config('request.path', $4, true), set_config('request.headers', $5, true)";

export interface RequestSettings {
  role: string;
  claims: string;
  method: string;
  path: string;
  headers: string;
}

export interface ResultRow {
  total: string | null;
  page_total: string;
  body: string | null;
}

/**
 * Runs each request as one transaction on a pooled `authenticator` connection. Begin, settings, statement
 * (and commit, for reads) are pipelined, so a read costs one round trip.
 */
export class Executor {
  readonly sql: Sql;

  constructor(url: string, poolSize = 20) {
    this.sql = postgres(url, {
      max: poolSize,
      prepare: true,
      fetch_types: false,
      idle_timeout: 60,
      onnotice: () => {},
      connection: { application_name: "devstack-rest" },
    });
  }

  /** `keep` decides, from the result, whether a read-write transaction commits or rolls back. */
  async run(
    readOnly: boolean,
    settings: RequestSettings,
    statement: string,
    params: (string | null)[],
    keep: (row: ResultRow) => boolean = () => true,
  ): Promise<ResultRow> {
    let conn;
    try {
      conn = await this.sql.reserve();
    } catch (error) {
      throw connectionError(error);
    }
    try {
      const queries = [
        conn.unsafe(readOnly ? "begin read only" : "begin"),
        conn.unsafe(
          settingsStatement,
          [settings.role, settings.claims, settings.method, settings.path, settings.headers],
          {
            prepare: true,
          },
        ),
        conn.unsafe(statement, params, { prepare: true }),
      ];
      if (readOnly) queries.push(conn.unsafe("commit"));
      const results = await Promise.allSettled(queries);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) {
        if (!readOnly) await conn.unsafe("rollback").catch(() => {});
        throw failed.reason;
      }
      const row = (results[2] as unknown as PromiseFulfilledResult<ResultRow[]>).value[0]!;
      if (!readOnly) await conn.unsafe(keep(row) ? "commit" : "rollback");
      return row;
    } finally {
      conn.release();
    }
  }

  close(): Promise<void> {
    return this.sql.end({ timeout: 1 });
  }
}

function connectionError(error: unknown) {
  const detail = error instanceof Error ? error.message : String(error);
  return pgrstError(503, "PGRST001", "Database client error. Retrying the connection.", detail);
}
