import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayContext, Service } from "../context.ts";
import { HttpError, readBody } from "../http.ts";
import { anonRole, authenticate, refuseOtherRoles, VerifiedTokens, type RequestAuth } from "./auth.ts";
import { closestName, fromPgError, isPgServerError, pgrstError } from "./errors.ts";
import { Executor, type ResultRow } from "./executor.ts";
import {
  buildDelete,
  buildInsert,
  buildUpdate,
  insertedCountSql,
  insertPayload,
  isLimited,
  offLimitsError,
  parseColumnsParam,
  parseJsonBody,
  type Returning,
} from "./mutations.ts";
import {
  negotiateMedia,
  negotiateProfile,
  rangeResult,
  stripNulls,
  topLevelRange,
  type ResponseMedia,
} from "./negotiation.ts";
import {
  endsInRollback,
  exceedsMaxAffected,
  maxAffectedError,
  parsePreferences,
  preferenceApplied,
  refuseInvalidPreferences,
  type Preferences,
  type TxEnd,
} from "./preferences.ts";
import { buildReadStatement, ident, Params } from "./query-builder.ts";
import { AliasAllocator, applyQueryParams, planRead, restrictRows, type ReadNode } from "./read-plan.ts";
import { chooseRoutine, chooseSingleObjectRoutine, chooseSingleParamRoutine, routineCall } from "./rpc.ts";
import { loadSchemaCache, unqualifiedType, type Column, type SchemaCache, type Table } from "./schema-cache.ts";
import { loadRestSettings } from "./settings.ts";

const rpcReserved = new Set([
  "select",
  "order",
  "limit",
  "offset",
  "and",
  "or",
  "not.and",
  "not.or",
  "columns",
  "on_conflict",
]);

/** A statement ready to run, with what its response needs to know. */
interface Prepared {
  statement: string;
  params: (string | null)[];
  offset: number;
  singular: boolean;
}

/**
 * Keeps the schema cache current: loaded on first use, reloaded on `NOTIFY pgrst, 'reload schema'`.
 * Loads run one at a time, and a request that arrives during a load queues exactly one more: each load's
 * snapshot is then taken after the previous load finished, so a newer catalog is never replaced by an older.
 */
class SchemaCacheHolder {
  private current: Promise<SchemaCache> | null = null;
  private loading = false;
  private queued = false;
  readonly plans = new Map<string, Prepared>();

  constructor(
    private readonly executor: Executor,
    private readonly exposedSchema: string,
  ) {
    executor.sql
      .listen("pgrst", (payload) => {
        if (payload === "" || payload === "reload schema") this.reload();
      })
      .catch((error) => console.error("rest: cannot listen for schema reloads", error));
  }

  get(): Promise<SchemaCache> {
    if (!this.current) this.reload();
    return this.current!;
  }

  private reload(): void {
    if (this.loading) {
      this.queued = true;
      return;
    }
    this.loading = true;
    const next = loadSchemaCache(this.executor.sql, this.exposedSchema);
    // The first load is awaited by requests; later ones swap in only once they succeed.
    if (!this.current) this.current = next;
    const settle = () => {
      this.loading = false;
      if (this.queued) {
        this.queued = false;
        this.reload();
      }
    };
    next.then(
      () => {
        this.current = next;
        this.plans.clear();
        settle();
      },
      (error) => {
        console.error("rest: schema cache reload failed", error);
        // A failed first load is retried by the next request instead of answering 503 for ever.
        if (this.current === next) this.current = null;
        settle();
      },
    );
  }
}

/** The PostgREST stand-in behind /rest/v1. */
export function createRestService(ctx: GatewayContext): Service {
  const executor = new Executor(ctx.authenticatorUrl);
  const tokens = new VerifiedTokens(ctx.jwtSecret);
  const { maxRows, txEnd, schemas, extraSearchPath } = loadRestSettings(ctx.configPath);
  // One schema cache per exposed schema of `[api] schemas`, each reloaded by the same NOTIFY.
  const holders = new Map(schemas.map((name) => [name, new SchemaCacheHolder(executor, name)]));
  const timezones = new TimezoneNames(executor);

  return {
    async handle(req, res, path, url) {
      const auth = authenticate(req, url, tokens);
      try {
        await refuseOtherRoles(auth, (role) => executor.switchRole(role));
        const profile = negotiateProfile(req, schemas);
        const schema = holders.get(profile.schema)!;
        if (profile.negotiated) res.setHeader("content-profile", profile.schema);
        const cache = await schema.get().catch(() => {
          throw pgrstError(503, "PGRST002", "Could not query the database for the schema cache. Retrying.");
        });
        const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
        const prefs = parsePreferences(req, { txEnd, timezones: await timezones.get() });
        refuseInvalidPreferences(prefs);
        if (prefs.txIgnored) warnTxNotApplied(txEnd);
        const request: RestRequest = {
          searchPath: [profile.schema, ...extraSearchPath.filter((s) => s !== profile.schema)]
            .map((s) => ident(s))
            .join(", "),
          prefs,
          txEnd,
          req,
          res,
          url,
          auth,
          cache,
          executor,
          plans: schema.plans,
          path,
          maxBodyBytes: ctx.maxBodyBytes,
          maxRows,
        };
        if (segments.length === 1) return await handleTable(request, segments[0]!);
        if (segments.length === 2 && segments[0] === "rpc") return await handleRpc(request, segments[1]!);
        throw pgrstError(404, "PGRST125", "Invalid path specified in request URL");
      } catch (error) {
        if (isPgServerError(error)) throw fromPgError(error, auth.role, anonRole);
        throw error;
      }
    },
    async close() {
      await executor.close();
    },
  };
}

/** pg_timezone_names, read once: `Prefer: timezone=…` is applied only for a name PostgreSQL knows. */
class TimezoneNames {
  private names: Promise<ReadonlySet<string>> | null = null;
  constructor(private readonly executor: Executor) {}
  get(): Promise<ReadonlySet<string>> {
    this.names ??= this.executor.sql<{ name: string }[]>`select name from pg_catalog.pg_timezone_names`.then(
      (rows) => new Set(rows.map((r) => r.name)),
      (error) => {
        this.names = null;
        throw error;
      },
    );
    return this.names;
  }
}

let txWarned = false;
/** Supabase's PostgREST ignores `Prefer: tx=…` (db-tx-end = commit); said once in the log, as the API cannot. */
function warnTxNotApplied(txEnd: TxEnd): void {
  if (txWarned) return;
  txWarned = true;
  console.warn(
    `rest: Prefer: tx=… is not applied (db-tx-end = ${txEnd}, as on Supabase): changes sent with tx=rollback are committed`,
  );
}

interface RestRequest {
  searchPath: string;
  prefs: Preferences;
  txEnd: TxEnd;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  auth: RequestAuth;
  cache: SchemaCache;
  executor: Executor;
  plans: Map<string, Prepared>;
  path: string;
  maxBodyBytes: number;
  maxRows: number;
}

function settingsFor(r: RestRequest) {
  return {
    role: r.auth.role,
    claims: r.auth.claimsJson,
    method: r.req.method ?? "GET",
    path: r.path,
    headers: JSON.stringify(r.req.headers),
    caller: callerOf(r.auth),
    timezone: r.prefs.timezone,
    searchPath: r.searchPath,
  };
}

/** Whom a request's share of the connection pool is counted against (none for the service role). */
function callerOf(auth: RequestAuth): string | undefined {
  if (auth.role === "service_role") return undefined;
  return typeof auth.claims.sub === "string" && auth.claims.sub ? `sub:${auth.claims.sub}` : `role:${auth.role}`;
}

function tableNotFound(cache: SchemaCache, name: string): HttpError {
  const suggestion = closestName(name, cache.tables.keys());
  return pgrstError(
    404,
    "PGRST205",
    `Could not find the table '${cache.schema}.${name}' in the schema cache`,
    null,
    suggestion ? `Perhaps you meant the table '${cache.schema}.${suggestion}'` : null,
  );
}

function singularityError(rows: number): HttpError {
  return pgrstError(
    406,
    "PGRST116",
    "JSON object requested, multiple (or no) rows returned",
    `The result contains ${rows} rows`,
  );
}

/** What `response.status` and `response.headers` of each request's transaction say (PostgREST's overrides). */
interface ResponseOverrides {
  status: number | null;
  headers: [string, string][];
}

const overrides = new WeakMap<ServerResponse, ResponseOverrides>();

/** Runs the request's statement and keeps the response overrides its transaction set, checked as PostgREST does. */
async function runStatement(r: RestRequest, ...args: Parameters<Executor["run"]>): Promise<ResultRow> {
  const row = await r.executor.run(...args);
  overrides.set(r.res, responseOverridesOf(row));
  return row;
}

function responseOverridesOf(row: ResultRow): ResponseOverrides {
  let status: number | null = null;
  if (row.response_status) {
    const digits = /^\d+/.exec(row.response_status)?.[0];
    if (!digits || Number(digits) < 100 || Number(digits) > 999) {
      throw pgrstError(500, "PGRST112", "response.status guc must be a valid status code");
    }
    status = Number(digits);
  }
  const headers: [string, string][] = [];
  if (row.response_headers) {
    const invalid = () =>
      pgrstError(
        500,
        "PGRST111",
        "response.headers guc must be a JSON array composed of objects with a single key and a string value",
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.response_headers);
    } catch {
      throw invalid();
    }
    if (!Array.isArray(parsed)) throw invalid();
    for (const item of parsed) {
      const entries = item && typeof item === "object" && !Array.isArray(item) ? Object.entries(item) : [];
      if (entries.length !== 1 || typeof entries[0]![1] !== "string") throw invalid();
      const [name, value] = entries[0] as [string, string];
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) throw invalid();
      headers.push([name, value]);
    }
  }
  return { status, headers };
}

function send(
  res: ServerResponse,
  pgrstStatus: number,
  body: string | null,
  pgrstHeaders: Record<string, string>,
  head = false,
): void {
  // A function's `response.status` replaces the status; its `response.headers` replace or add headers.
  const override = overrides.get(res);
  const status = override?.status ?? pgrstStatus;
  const headers: Record<string, string> = { ...pgrstHeaders };
  for (const [name, value] of override?.headers ?? []) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  }
  if (body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(head ? undefined : body);
}

function rootOf(table: Table, name = table.name): Pick<ReadNode, "name" | "columns" | "relation" | "alias"> {
  return { name, columns: table.columns, relation: table, alias: name };
}

function countRequested(prefs: Preferences): boolean {
  return prefs.count !== undefined;
}

function bodyFor(media: ResponseMedia, body: string): string {
  return media.stripNulls ? stripNulls(body) : body;
}

function withApplied(headers: Record<string, string>, applied: string | undefined): Record<string, string> {
  if (applied) headers["preference-applied"] = applied;
  return headers;
}

async function handleTable(r: RestRequest, name: string): Promise<void> {
  const { req, url, cache, prefs } = r;
  const method = req.method ?? "GET";
  const table = cache.tables.get(name);
  if (!table) throw tableNotFound(cache, name);
  if (method === "GET" || method === "HEAD") return readTable(r, table, method === "HEAD");
  if (method !== "POST" && method !== "PATCH" && method !== "DELETE" && method !== "PUT") {
    throw pgrstError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  }
  const media = negotiateMedia(req);
  const singular = media.singular;
  const returning: Returning =
    prefs.return === "representation"
      ? "rows"
      : prefs.return === "headers-only" && method === "POST"
        ? "primary-key"
        : "nothing";
  const root = planRead(cache, rootOf(table), url.searchParams.get("select"), new AliasAllocator());
  applyQueryParams(root, [...url.searchParams]);
  const raw = method === "DELETE" ? "" : (await readBody(req, r.maxBodyBytes)).toString("utf8");
  const params = new Params();
  const onConflict = url.searchParams.get("on_conflict");
  let mutation: string;
  if (method === "PUT") {
    const key = putKey(table, root);
    mutation = buildInsert(
      table,
      insertPayload(table, raw, null),
      { onConflict: table.primaryKey, resolution: "merge-duplicates", missingDefault: false, returning, putKey: key },
      params,
    );
  } else if (method === "POST") {
    const payload = insertPayload(table, raw, url.searchParams.get("columns"));
    mutation = buildInsert(
      table,
      payload,
      {
        onConflict: onConflict ? parseColumnsParam(onConflict) : null,
        resolution: prefs.resolution ?? null,
        missingDefault: prefs.missing === "default",
        returning,
      },
      params,
    );
  } else if (method === "PATCH") {
    mutation = buildUpdate(table, root, raw, returning, params);
  } else {
    mutation = buildDelete(table, root, returning, params);
  }
  const limit = (method === "PATCH" || method === "DELETE") && isLimited(root) ? (root.limit ?? Infinity) : Infinity;
  const isPut = method === "PUT";
  const final =
    returning === "rows"
      ? buildReadStatement(root, params, {
          singular,
          count: false,
          source: `pgrst_source as ${ident(table.name)}`,
          rootFilters: false,
          csv: media.csv,
        })
      : `select null::int8 as total, count(*) as page_total, ${returning === "primary-key" ? "(json_agg(pgrst_source)->0)::text" : "null::text"} as body from pgrst_source`;
  const statement = `with pgrst_source as (${mutation}) select _pgrst_final.*, ${insertedCountSql} as inserted from (${final}) as _pgrst_final`;
  const rollback = endsInRollback(prefs, r.txEnd);
  const checkMaxAffected = method === "PATCH" || method === "DELETE";
  const row = await runStatement(r, false, settingsFor(r), statement, params.values, (row) => {
    const affected = Number(row.page_total);
    if (singular && affected !== 1) return false;
    if (checkMaxAffected && exceedsMaxAffected(prefs, affected)) return false;
    if (affected > limit) return false;
    if (isPut && affected !== 1) return false;
    return !rollback;
  });
  const affected = Number(row.page_total);
  if (singular && affected !== 1) throw singularityError(affected);
  if (checkMaxAffected && exceedsMaxAffected(prefs, affected)) throw maxAffectedError(affected);
  if (affected > limit) throw offLimitsError(affected, limit);
  if (isPut && affected !== 1) {
    throw pgrstError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
  }

  const counted = countRequested(prefs) ? String(affected) : "*";
  const headers: Record<string, string> = {
    "content-range": method === "POST" || affected === 0 ? `*/${counted}` : `0-${affected - 1}/${counted}`,
  };
  const hasConflictTarget = table.primaryKey.length > 0 || onConflict !== null;
  const applied =
    method === "POST"
      ? preferenceApplied({ ...prefs, resolution: hasConflictTarget ? prefs.resolution : undefined }, [
          "resolution",
          "missing",
          "return",
          "count",
          "tx",
          "handling",
          "timezone",
        ])
      : isPut
        ? preferenceApplied(prefs, ["return", "count", "tx", "handling", "timezone"])
        : method === "PATCH"
          ? preferenceApplied(prefs, ["missing", "return", "count", "tx", "handling", "timezone", "maxAffected"])
          : preferenceApplied(prefs, ["return", "count", "tx", "handling", "timezone", "maxAffected"]);
  withApplied(headers, applied);
  if (returning === "primary-key" && row.body) {
    const key = JSON.parse(row.body) as Record<string, unknown>;
    const query = Object.entries(key).map(([k, v]) => `${encodeURIComponent(k)}=eq.${encodeURIComponent(String(v))}`);
    headers.location = `/${name}?${query.join("&")}`;
  }
  // An upsert that only updated answers 200, as PostgREST counts the rows it really inserted.
  const inserted = row.inserted === null || row.inserted === undefined ? null : Number(row.inserted);
  const merged = prefs.resolution === "merge-duplicates" || isPut;
  const postStatus = merged && inserted !== null && inserted <= 0 ? 200 : 201;
  if (isPut) {
    if (returning !== "rows") return send(r.res, 204, null, headers);
    headers["content-type"] = media.contentType;
    return send(r.res, postStatus, bodyFor(media, row.body ?? "[]"), headers);
  }
  if (returning === "rows") {
    headers["content-type"] = media.contentType;
    return send(r.res, method === "POST" ? postStatus : 200, bodyFor(media, row.body ?? "[]"), headers);
  }
  send(r.res, method === "POST" ? postStatus : 204, null, headers);
}

/**
 * PUT's filters: all and only the primary key columns, each with `eq` (405 PGRST105), and no limit or offset
 * (400 PGRST114), as PostgREST 12 requires.
 */
function putKey(table: Table, root: ReadNode): { column: string; value: string }[] {
  if (root.limit !== undefined || root.offset !== undefined) {
    throw pgrstError(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT");
  }
  const key: { column: string; value: string }[] = [];
  for (const f of root.filters) {
    if (f.kind !== "cond" || f.negate || f.op !== "eq" || f.quantifier || f.field.jsonPath.length > 0) break;
    if (typeof f.value !== "string") break;
    key.push({ column: f.field.name, value: f.value });
  }
  const columns = key.map((k) => k.column).sort();
  const pk = [...table.primaryKey].sort();
  if (key.length !== root.filters.length || pk.length === 0 || columns.join(",") !== pk.join(",")) {
    throw pgrstError(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators");
  }
  return key;
}

async function readTable(r: RestRequest, table: Table, head: boolean): Promise<void> {
  const { req, url, cache, prefs } = r;
  const media = negotiateMedia(req);
  const singular = media.singular;
  const count = countRequested(prefs);
  const key = `${table.name}?${url.search}|${singular}|${count}|${media.csv ?? false}|${req.headers.range ?? ""}`;
  let prepared = r.plans.get(key);
  if (!prepared) {
    const root = planRead(cache, rootOf(table), url.searchParams.get("select"), new AliasAllocator());
    applyQueryParams(root, [...url.searchParams]);
    const range = topLevelRange(req, root.limit, root.offset);
    root.limit = range.limit;
    root.offset = range.offset;
    restrictRows(root, r.maxRows);
    const params = new Params();
    const source = `${ident(table.schema)}.${ident(table.name)} as ${ident(table.name)}`;
    const statement = buildReadStatement(root, params, { singular, count, source, rootFilters: true, csv: media.csv });
    prepared = { statement, params: params.values, offset: range.offset, singular };
    if (r.plans.size > 1000) r.plans.clear();
    r.plans.set(key, prepared);
  }
  const row = await runStatement(r, true, settingsFor(r), prepared.statement, prepared.params);
  const applied = preferenceApplied(prefs, ["count", "tx", "handling", "timezone"]);
  respondRead(r, row, prepared, media, head, true, applied);
}

function respondRead(
  r: RestRequest,
  row: ResultRow,
  prepared: Prepared,
  media: ResponseMedia,
  head: boolean,
  isSet: boolean,
  applied: string | undefined,
): void {
  const pageTotal = Number(row.page_total);
  const total = row.total === null ? null : Number(row.total);
  if (prepared.singular) {
    if (isSet && pageTotal !== 1) throw singularityError(pageTotal);
    const { contentRange } = rangeResult(prepared.offset, pageTotal, total);
    const headers = withApplied({ "content-type": media.contentType, "content-range": contentRange }, applied);
    return send(r.res, 200, bodyFor(media, row.body ?? "null"), headers, head);
  }
  const { status, contentRange } = rangeResult(prepared.offset, pageTotal, total);
  const headers = withApplied({ "content-type": media.contentType, "content-range": contentRange }, applied);
  send(r.res, status, bodyFor(media, row.body ?? "[]"), headers, head);
}

async function handleRpc(r: RestRequest, name: string): Promise<void> {
  const { req, url, cache, prefs } = r;
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD" && method !== "POST") {
    throw pgrstError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
  }
  const media = negotiateMedia(req);
  const singular = media.singular;
  const viaPost = method === "POST";
  let argsJson: string;
  let choice;
  let filterParams: [string, string][];
  if (viaPost) {
    const bytes = await readBody(req, r.maxBodyBytes);
    const single = singleParamBody(req, bytes);
    if (single) return callWithSingleParam(r, name, single, media);
    const raw = bytes.toString("utf8");
    argsJson = raw.trim() === "" ? "{}" : raw;
    const body = parseJsonBody(argsJson);
    const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
    choice =
      prefs.params === "single-object"
        ? chooseSingleObjectRoutine(cache, name)
        : chooseRoutine(cache, name, isObject ? Object.keys(body) : [], true);
    if (!isObject && choice.argNames !== null) throw pgrstError(400, "PGRST102", "Empty or invalid json");
    filterParams = [...url.searchParams];
  } else {
    const entries = [...url.searchParams].filter(([k]) => !rpcReserved.has(k) && !k.includes("."));
    choice = chooseRoutine(cache, name, [...new Set(entries.map(([k]) => k))], false);
    const argNames = new Set(choice.argNames ?? []);
    argsJson = JSON.stringify(Object.fromEntries(entries.filter(([k]) => argNames.has(k))));
    filterParams = [...url.searchParams].filter(([k]) => !argNames.has(k));
  }
  const routine = choice.routine;
  const params = new Params();
  const { argsSource, call } = routineCall(choice, argsJson, params);
  const from = argsSource ? ` from ${argsSource}` : "";
  const count = countRequested(prefs);
  let offset = 0;
  let statement: string;
  const isSet = routine.returnsSet;
  // A function that returns one value counts as one row (PostgREST's Content-Range 0-0/1).
  const scalarTotal = count ? "1::int8" : "null::int8";
  if (routine.returnsVoid) {
    statement = `select ${scalarTotal} as total, 1::int8 as page_total, ${call}::text as body${from}`;
  } else if (!routine.returnColumns && !isSet) {
    statement = `select ${scalarTotal} as total, 1::int8 as page_total, to_json(${call})::text as body${from}`;
  } else {
    const columns: Map<string, Column> = routine.returnColumns
      ? new Map(routine.returnColumns.map((c) => [c.name, c]))
      : new Map([[name, { name, type: routine.returnType, nullable: true, default: null }]]);
    const relation = cache.tables.get(unqualifiedType(cache.schema, routine.returnType)) ?? null;
    const root = planRead(
      cache,
      { name, columns, relation, alias: name },
      routine.returnColumns ? url.searchParams.get("select") : null,
      new AliasAllocator(),
    );
    // A set of scalars is returned as bare values, whatever `select` says.
    if (!routine.returnColumns) root.items = [{ kind: "field", field: { name, jsonPath: [] } }];
    applyQueryParams(root, filterParams);
    if (isSet) {
      const range = topLevelRange(req, root.limit, root.offset);
      root.limit = range.limit;
      root.offset = offset = range.offset;
    }
    restrictRows(root, r.maxRows);
    const source = `${argsSource ? `${argsSource}, lateral ` : ""}${call} as ${ident(name)}`;
    statement = buildReadStatement(root, params, {
      singular: singular || !isSet,
      count,
      source,
      rootFilters: true,
      scalarColumn: routine.returnColumns ? undefined : name,
      csv: media.csv && isSet,
    });
  }
  const readOnly = method !== "POST" || routine.volatility !== "v";
  const rollback = endsInRollback(prefs, r.txEnd);
  const row = await runStatement(
    r,
    readOnly,
    settingsFor(r),
    statement,
    params.values,
    (row) =>
      (!singular || Number(row.page_total) === 1) && !exceedsMaxAffected(prefs, Number(row.page_total)) && !rollback,
  );
  if (exceedsMaxAffected(prefs, Number(row.page_total))) throw maxAffectedError(Number(row.page_total));
  const applied = preferenceApplied(prefs, ["params", "count", "tx", "handling", "timezone", "maxAffected"]);
  if (routine.returnsVoid || prefs.return === "minimal") {
    const total = row.total === null ? null : Number(row.total);
    const headers = withApplied({ "content-range": rangeResult(0, 1, total).contentRange }, applied);
    return send(r.res, 204, null, headers);
  }
  respondRead(
    r,
    row,
    { statement, params: params.values, offset, singular: singular || !isSet },
    media,
    method === "HEAD",
    isSet,
    applied,
  );
}

/** A POSTed text, XML or binary body, which PostgREST hands whole to a function's single unnamed parameter. */
interface SingleParamBody {
  type: "text" | "xml" | "bytea";
  /** The body as text; hex for bytea. */
  value: string;
}

function singleParamBody(req: IncomingMessage, bytes: Buffer): SingleParamBody | null {
  const contentType = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
  if (contentType === "text/plain") return { type: "text", value: bytes.toString("utf8") };
  if (contentType === "text/xml") return { type: "xml", value: bytes.toString("utf8") };
  if (contentType === "application/octet-stream") return { type: "bytea", value: bytes.toString("hex") };
  return null;
}

/** `POST /rpc/f` with `Content-Type: text/plain` (or text/xml, application/octet-stream), as PostgREST 12 calls it. */
async function callWithSingleParam(
  r: RestRequest,
  name: string,
  body: SingleParamBody,
  media: ResponseMedia,
): Promise<void> {
  const routine = chooseSingleParamRoutine(r.cache, name, body.type);
  const params = new Params();
  const value = params.bind(body.value);
  const arg = body.type === "bytea" ? `decode(${value}::text, 'hex')` : `${value}::text::${body.type}`;
  const call = `${ident(routine.schema)}.${ident(routine.name)}(${arg})`;
  const count = countRequested(r.prefs) ? "1::int8" : "null::int8";
  const statement =
    routine.returnsSet || routine.returnColumns
      ? `select ${count} as total, count(*) as page_total, coalesce(json_agg(_pgrst_t), '[]')::text as body from ${call} as _pgrst_t`
      : `select ${count} as total, 1::int8 as page_total, to_json(${call})::text as body`;
  const rollback = endsInRollback(r.prefs, r.txEnd);
  const row = await runStatement(
    r,
    routine.volatility !== "v",
    settingsFor(r),
    statement,
    params.values,
    () => !rollback,
  );
  const applied = preferenceApplied(r.prefs, ["count", "tx", "handling", "timezone"]);
  if (routine.returnsVoid) return send(r.res, 204, null, withApplied({}, applied));
  respondRead(
    r,
    row,
    { statement, params: params.values, offset: 0, singular: !routine.returnsSet },
    media,
    false,
    routine.returnsSet,
    applied,
  );
}
