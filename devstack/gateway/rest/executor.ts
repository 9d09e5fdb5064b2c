import postgres, { type Options, type Sql } from "postgres";
import { isPgServerError, pgrstError } from "./errors.ts";

export interface RequestSettings {
  role: string;
  claims: string;
  method: string;
  path: string;
  headers: string;
  /**
   * Who is asking (the token's `sub`, else its role); undefined for callers trusted with the whole pool
   * (service_role). One caller holds at most half the pool, so others still get a connection while its slow
   * requests run out their statement timeout.
   */
  caller?: string;
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
  /** `response.headers` and `response.status` as the request's statement left them (null when unset). */
  response_headers?: string | null;
  response_status?: string | null;
}

/**
 * Read after the statement, in its transaction, as PostgREST reads them to override its response: what a
 * function set with `set_config('response.status', …, true)` or `set local "response.headers" = …`.
 */
const responseSettingsQuery =
  "select nullif(current_setting('response.headers', true), '') as response_headers, " +
  "nullif(current_setting('response.status', true), '') as response_status";

/** A string literal that means the same whatever `standard_conforming_strings` says. */
function literal(value: string): string {
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** A setting given to a role with `alter role … set` (e.g. Supabase's `statement_timeout` of anon and authenticated). */
export interface RoleSetting {
  name: string;
  value: string;
}

/**
 * The settings of each role, as PostgREST reads them to apply to the transactions it runs as that role: the
 * database-specific value wins over the one for all databases; only settings an ordinary user may change.
 */
export async function loadRoleSettings(sql: Sql): Promise<Map<string, RoleSetting[]>> {
  const rows = await sql<{ role: string; name: string; value: string }[]>`
    select distinct on (s.role, s.name) s.role, s.name, s.value
    from (
      select r.rolname as role, split_part(c, '=', 1) as name, substr(c, strpos(c, '=') + 1) as value,
             d.setdatabase
      from pg_catalog.pg_db_role_setting as d
      join pg_catalog.pg_roles as r on r.oid = d.setrole
      cross join lateral unnest(d.setconfig) as c
      where d.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
    ) as s
    join pg_catalog.pg_settings as p on p.name = s.name and p.context = 'user'
    order by s.role, s.name, s.setdatabase desc`;
  const byRole = new Map<string, RoleSetting[]>();
  for (const row of rows) {
    const list = byRole.get(row.role) ?? [];
    list.push({ name: row.name, value: row.value });
    byRole.set(row.role, list);
  }
  return byRole;
}

/**
 * `begin` and the per-request settings PostgREST applies, as one simple-protocol message. Without parameters
 * it never waits for a describe round trip, so it always goes out before the statement after it. It returns an
 * empty row rather than the values it set (PostgreSQL keeps volatile outputs of a subquery). The role's own
 * settings come first, as `set role` alone would not apply them (PostgreSQL applies them only at login).
 */
function beginStatement(readOnly: boolean, s: RequestSettings, roleSettings: RoleSetting[]): string {
  const own = roleSettings.map((r) => `set_config(${literal(r.name)}, ${literal(r.value)}, true), `).join("");
  return (
    `begin${readOnly ? " read only" : ""}; select from (select ${own}set_config('search_path', ${literal(s.searchPath ?? "public, extensions")}, true), ` +
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
  /** Connections held, and requests queued behind them, per caller. */
  private readonly perCaller = new Map<string, { active: number; queued: (() => void)[] }>();
  private readonly callerShare: number;

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
    this.callerShare = Math.max(1, Math.floor(poolSize / 2));
    // PostgREST re-reads role settings when asked to reload its configuration.
    this.sql
      .listen("pgrst", (payload) => {
        if (payload === "reload config") this.roleSettings = null;
      })
      .catch((error) => console.error("rest: cannot listen for configuration reloads", error));
  }

  private roleSettings: Promise<Map<string, RoleSetting[]>> | null = null;

  private settingsOf(role: string): Promise<RoleSetting[]> {
    if (!this.roleSettings) {
      const loading = loadRoleSettings(this.sql);
      this.roleSettings = loading;
      // A failed load is retried by the next request.
      loading.catch(() => {
        if (this.roleSettings === loading) this.roleSettings = null;
      });
    }
    return this.roleSettings.then((byRole) => byRole.get(role) ?? []);
  }

  /** Tries to become `role` in a transaction that does nothing else: throws PostgreSQL's refusal, if any. */
  async switchRole(role: string): Promise<void> {
    const settings = { role, claims: "{}", method: "GET", path: "/", headers: "{}" };
    await this.run(true, settings, "select null::int8 as total, 0::int8 as page_total, null::text as body", []);
  }

  /** `keep` decides, from the result, whether a read-write transaction commits or rolls back. */
  async run(
    readOnly: boolean,
    settings: RequestSettings,
    statement: string,
    params: (string | null)[],
    keep: (row: ResultRow) => boolean = () => true,
  ): Promise<ResultRow> {
    const roleSettings = await this.settingsOf(settings.role).catch((error) => {
      throw isConnectionError(error) ? connectionError(error) : error;
    });
    const release = await this.enterCallerShare(settings.caller);
    const conn = this.idle.pop() ?? (await new Promise<Sql>((resolve) => this.waiting.push(resolve)));
    try {
      const queries = [
        conn.unsafe(beginStatement(readOnly, settings, roleSettings)).simple(),
        conn.unsafe(statement, params, { prepare: true }),
        conn.unsafe(responseSettingsQuery, [], { prepare: true }),
      ];
      if (readOnly) queries.push(conn.unsafe("commit"));
      const results = await Promise.allSettled(queries);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) {
        if (!readOnly) await conn.unsafe("rollback").catch(() => {});
        throw failed.reason;
      }
      const settingsRow = (results[2] as unknown as PromiseFulfilledResult<ResultRow[]>).value[0]!;
      const row = {
        ...(results[1] as unknown as PromiseFulfilledResult<ResultRow[]>).value[0]!,
        response_headers: settingsRow.response_headers,
        response_status: settingsRow.response_status,
      };
      if (!readOnly) await conn.unsafe(keep(row) ? "commit" : "rollback");
      return row;
    } catch (error) {
      throw isConnectionError(error) ? connectionError(error) : error;
    } finally {
      const next = this.waiting.shift();
      if (next) next(conn);
      else this.idle.push(conn);
      release();
    }
  }

  /** Waits until the caller holds fewer than its share of connections; the returned function gives the place back. */
  private async enterCallerShare(caller: string | undefined): Promise<() => void> {
    if (caller === undefined) return () => {};
    let entry = this.perCaller.get(caller);
    if (!entry) {
      entry = { active: 0, queued: [] };
      this.perCaller.set(caller, entry);
    }
    const share = entry;
    if (share.active >= this.callerShare) await new Promise<void>((resolve) => share.queued.push(resolve));
    else share.active++;
    return () => {
      const next = share.queued.shift();
      if (next) return next(); // the place passes on, `active` unchanged
      share.active--;
      if (share.active === 0) this.perCaller.delete(caller);
    };
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
