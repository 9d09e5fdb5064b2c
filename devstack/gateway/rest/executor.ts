import postgres, { type Options, type Sql } from "postgres";
import { isPgServerError, pgrstError } from "./errors.ts";

export interface RequestSettings {
  role: string;
  claims: string;
  method: string;
  path: string;
  headers: string;
  /** The request's schema, then `[api] extra_search_path`, quoted. */
  searchPath?: string;
  /** `Prefer: timezone=…`, already checked against pg_timezone_names. */
  timezone?: string;
}

export interface ResultRow {
  total: string | null;
  page_total: string;
  body: string | null;
  /** Rows an upsert inserted rather than updated (`pgrst.inserted`); absent or null otherwise. */
  inserted?: string | number | null;
}

/** A string literal that means the same whatever `standard_conforming_strings` says. */
function literal(value: string): string {
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/**
 * `begin` and the per-request settings PostgREST applies, as one simple-protocol message. Without parameters
 * it never waits for a describe round trip, so it always goes out before the statement after it. It returns an
 * empty row rather than the values it set (PostgreSQL keeps volatile outputs of a subquery).
 */
function beginStatement(readOnly: boolean, s: RequestSettings): string {
  return (
    `begin${readOnly ? " read only" : ""}; select from (select set_config('search_path', ${literal(s.searchPath ?? "public, extensions")}, true), ` +
    `set_config('role', ${literal(s.role)}, true), set_config('request.jwt.claims', ${literal(s.claims)}, true), ` +
    `set_config('request.method', ${literal(s.method)}, true), set_config('request.path', ${literal(s.path)}, true), ` +
    `set_config('request.headers', ${literal(s.headers)}, true)` +
    (s.timezone ? `, set_config('timezone', ${literal(s.timezone)}, true)` : "") +
    `) as settings`
  );
}

/**
 * Runs each request as one transaction on a pooled `authenticator` connection. Begin and settings, statement
 * (and commit, for reads) are pipelined, so a read costs one round trip.
 */
export class Executor {
  /** For the schema cache and its LISTEN connection. */
  readonly sql: Sql;
  /**
   * One single-connection client per pool slot, so all of a request's statements reach the same session in
   * order. (postgres.js's `reserve()` never resolves when it has to open the connection with `fetch_types` off.)
   */
  private readonly slots: Sql[];
  private readonly idle: Sql[];
  private readonly waiting: ((conn: Sql) => void)[] = [];

  constructor(url: string, poolSize = 20) {
    const options: Options<Record<string, never>> = {
      prepare: true,
      fetch_types: false,
      idle_timeout: 60,
      onnotice: () => {},
      connection: { application_name: "devstack-rest" },
    };
    this.sql = postgres(url, { ...options, max: 2 });
    this.slots = Array.from({ length: poolSize }, () => postgres(url, { ...options, max: 1 }));
    this.idle = [...this.slots];
  }

  /** `keep` decides, from the result, whether a read-write transaction commits or rolls back. */
  async run(
    readOnly: boolean,
    settings: RequestSettings,
    statement: string,
    params: (string | null)[],
    keep: (row: ResultRow) => boolean = () => true,
  ): Promise<ResultRow> {
    const conn = this.idle.pop() ?? (await new Promise<Sql>((resolve) => this.waiting.push(resolve)));
    try {
      const queries = [
        conn.unsafe(beginStatement(readOnly, settings)).simple(),
        conn.unsafe(statement, params, { prepare: true }),
      ];
      if (readOnly) queries.push(conn.unsafe("commit"));
      const results = await Promise.allSettled(queries);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) {
        if (!readOnly) await conn.unsafe("rollback").catch(() => {});
        throw failed.reason;
      }
      const row = (results[1] as unknown as PromiseFulfilledResult<ResultRow[]>).value[0]!;
      if (!readOnly) await conn.unsafe(keep(row) ? "commit" : "rollback");
      return row;
    } catch (error) {
      throw isConnectionError(error) ? connectionError(error) : error;
    } finally {
      const next = this.waiting.shift();
      if (next) next(conn);
      else this.idle.push(conn);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.sql, ...this.slots].map((sql) => sql.end({ timeout: 1 })));
  }
}

/** postgres.js's own connection errors and the socket's (`ECONNREFUSED`…), as opposed to PostgreSQL's. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return !isPgServerError(error) && typeof code === "string" && /^(CONNECT|E[A-Z]+$)/.test(code);
}

function connectionError(error: unknown) {
  const detail = error instanceof Error ? error.message : String(error);
  return pgrstError(503, "PGRST001", "Database client error. Retrying the connection.", detail);
}
