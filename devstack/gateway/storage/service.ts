import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { repoRoot } from "../../config.ts";
import type { GatewayContext, Service } from "../context.ts";
import { HttpError, readBody, sendJson } from "../http.ts";
import { containsNul, jsonTooDeep } from "../json.ts";
import { JwtError, signJwt, verifyJwt, type JwtClaims } from "../jwt.ts";
import { serviceCaller, StorageDb, type Caller, type Tx } from "./db.ts";
import { errors, storageError } from "./errors.ts";
import { ObjectFiles } from "./files.ts";
import {
  mustBeAllowedMimeType,
  mustBeValidBucketName,
  mustBeValidKey,
  parseAllowedMimeTypes,
  parseFileSizeLimit,
} from "./names.ts";
import { loadStorageSettings } from "./settings.ts";
import { readUpload } from "./upload-body.ts";

const apiRoles = new Set(["anon", "authenticated", "service_role"]);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Storage signs upload URLs for two hours. */
const signedUploadSeconds = 2 * 60 * 60;
/** JSON bodies of Storage's own requests (lists, moves, signatures) are small. */
const maxJsonBytes = 1024 * 1024;

interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  public: boolean;
  type: string;
  file_size_limit: string | number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

/** A request inside /storage/v1: its route's path segments, already percent-decoded. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  segments: string[];
}

function decodeSegments(rawPath: string): string[] {
  const parts = rawPath.split("/").slice(1);
  return parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw errors.invalidKey(part);
    }
  });
}

function bucketJson(row: BucketRow) {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? "",
    public: row.public,
    type: row.type,
    file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function objectJson(row: ObjectRow) {
  return {
    bucket_id: row.bucket_id,
    name: row.name,
    owner: row.owner ?? "",
    owner_id: row.owner_id ?? "",
    id: row.id,
    version: row.version,
    updated_at: row.updated_at,
    created_at: row.created_at,
    last_accessed_at: row.last_accessed_at,
    metadata: row.metadata,
    user_metadata: row.user_metadata,
  };
}

/** The JSON object body of one of Storage's requests; anything else is a 400. */
async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, maxJsonBytes).catch(() => {
    throw errors.entityTooLarge();
  });
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  if (jsonTooDeep(text)) throw errors.invalidRequest("The request body nests too deeply");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw errors.invalidRequest("The request body must be a JSON object");
  }
  if (containsNul(value)) throw errors.invalidRequest("The request body must not contain U+0000");
  return value as Record<string, unknown>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isUpsert(req: IncomingMessage): boolean {
  return header(req, "x-upsert")?.toLowerCase() === "true";
}

function positiveSeconds(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw errors.invalidRequest("expiresIn must be an integer number of seconds, at least 1");
  }
  return value;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Storage's `/storage/v1`, for what @supabase/storage-js calls (docs/decisions/020-local-storage.md). */
export function createStorageService(ctx: GatewayContext): Service {
  const settings = loadStorageSettings(ctx.configPath);
  const db = new StorageDb(ctx.authenticatorUrl);
  const files = new ObjectFiles(ctx.storageDir ?? path.join(repoRoot, ".devstack", "storage"));

  /** The caller from the Bearer token (or, without one, the apikey), checked against the project's JWT secret. */
  function authenticate(req: IncomingMessage, url: URL): Caller {
    const bearer = /^bearer\s+(.+)$/i.exec(header(req, "authorization")?.trim() ?? "")?.[1]?.trim();
    const token = bearer ?? header(req, "apikey") ?? url.searchParams.get("apikey") ?? undefined;
    if (!token) throw errors.invalidJwt("headers must have required property 'authorization'");
    let claims: JwtClaims;
    try {
      claims = verifyJwt(token, ctx.jwtSecret);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      throw errors.accessDenied(error.reason === "expired" ? "jwt expired" : "invalid signature");
    }
    const role = typeof claims.role === "string" && claims.role !== "" ? claims.role : "anon";
    if (!apiRoles.has(role)) throw errors.accessDenied(`permission denied to set role "${role}"`);
    const owner = typeof claims.sub === "string" && uuidPattern.test(claims.sub) ? claims.sub : null;
    return { role, claims, owner };
  }

  async function findBucket(tx: Tx, id: string): Promise<BucketRow | undefined> {
    const [row] = await tx<BucketRow[]>`
      select id, name, owner, public, type::text as type, file_size_limit, allowed_mime_types, created_at, updated_at
        from storage.buckets where id = ${id}`;
    return row;
  }

  /** The bucket as Storage looks it up for uploads (whoever asks): its limits. */
  async function bucketForUpload(bucketId: string): Promise<BucketRow> {
    const bucket = await db.as(serviceCaller, (tx) => findBucket(tx, bucketId));
    if (!bucket) throw errors.noSuchBucket();
    return bucket;
  }

  function limitOf(bucket: BucketRow): number {
    const own = bucket.file_size_limit === null ? Infinity : Number(bucket.file_size_limit);
    return Math.min(own, settings.fileSizeLimit);
  }

  /**
   * Stores an upload: the bytes first (under a new version), then the row as `actor`, so RLS decides; the bytes
   * of a refused upload and of the version an upsert or update replaced are removed afterwards.
   */
  async function storeUpload(
    call: Call,
    actor: Caller,
    owner: string | null,
    bucketId: string,
    name: string,
    mode: "create" | "upsert" | "update",
  ) {
    const bucket = await bucketForUpload(bucketId);
    const body = await readUpload(call.req, limitOf(bucket));
    mustBeAllowedMimeType(body.contentType, bucket.allowed_mime_types);
    const version = randomUUID();
    const metadata = {
      eTag: `"${body.md5}"`,
      size: body.bytes.length,
      mimetype: body.contentType,
      cacheControl: body.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: body.bytes.length,
      httpStatusCode: 200,
    };
    await files.write(version, body.bytes);
    let row: { id: string; old_version: string | null } | undefined;
    try {
      row = await db.as(actor, async (tx) => {
        const values = {
          bucket_id: bucketId,
          name,
          owner,
          owner_id: owner ?? (typeof actor.claims.sub === "string" ? actor.claims.sub : null),
          version,
          metadata,
          user_metadata: body.userMetadata,
        };
        if (mode === "update") {
          const [updated] = await tx<{ id: string; old_version: string | null }[]>`
            with old as (select id, version from storage.objects where bucket_id = ${bucketId} and name = ${name})
            update storage.objects as o
               set version = ${version}, owner = ${owner}, owner_id = ${values.owner_id},
                   metadata = ${tx.json(metadata)}, user_metadata = ${body.userMetadata === null ? null : tx.json(body.userMetadata as never)},
                   last_accessed_at = now()
              from old where o.id = old.id
            returning o.id, old.version as old_version`;
          if (!updated) throw errors.noSuchKey();
          return updated;
        }
        const [inserted] = await tx<{ id: string; old_version: string | null }[]>`
          with old as (select version from storage.objects where bucket_id = ${bucketId} and name = ${name})
          insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
          values (${bucketId}, ${name}, ${owner}, ${values.owner_id}, ${version}, ${tx.json(metadata)},
                  ${body.userMetadata === null ? null : tx.json(body.userMetadata as never)})
          ${
            mode === "upsert"
              ? tx`on conflict (bucket_id, name) do update
                     set version = excluded.version, owner = excluded.owner, owner_id = excluded.owner_id,
                         metadata = excluded.metadata, user_metadata = excluded.user_metadata,
                         last_accessed_at = now()`
              : tx``
          }
          returning id, (select version from old) as old_version`;
        return inserted!;
      });
    } catch (error) {
      await files.remove([version]);
      throw error;
    }
    if (row.old_version && row.old_version !== version) await files.remove([row.old_version]);
    return { Id: row.id, Key: `${bucketId}/${name}` };
  }

  /** Sends an object's bytes with the headers Storage sends (type, length, cache, ETag, last change). */
  async function sendObject(call: Call, object: ObjectRow) {
    const stored = await files.stat(object.version);
    if (!stored) throw errors.noSuchKey();
    const meta = object.metadata ?? {};
    const headers: Record<string, string> = {
      "content-type": typeof meta.mimetype === "string" ? meta.mimetype : "application/octet-stream",
      "content-length": String(stored.size),
      "cache-control": typeof meta.cacheControl === "string" ? meta.cacheControl : "no-cache",
      "last-modified": new Date(object.updated_at).toUTCString(),
      "x-content-type-options": "nosniff",
    };
    if (typeof meta.eTag === "string") headers.etag = meta.eTag;
    const download = call.url.searchParams.get("download");
    if (download !== null) {
      const fileName = (download || object.name.split("/").pop() || "download").replace(/[^\x20-\x7e]|["\\]/g, "_");
      headers["content-disposition"] = `attachment; filename="${fileName}"`;
    }
    call.res.writeHead(200, headers);
    if (call.method === "HEAD") {
      call.res.end();
      return;
    }
    await pipeline(fs.createReadStream(stored.file), call.res);
  }

  async function findObject(actor: Caller, bucketId: string, name: string): Promise<ObjectRow> {
    const object = await db.as(actor, async (tx) => {
      const [row] = await tx<ObjectRow[]>`
        select id, bucket_id, name, owner::text as owner, owner_id, version, metadata, user_metadata,
               created_at, updated_at, last_accessed_at
          from storage.objects where bucket_id = ${bucketId} and name = ${name}`;
      return row;
    });
    if (!object) throw errors.noSuchKey();
    return object;
  }

  /** `/<bucket>/<name…>` of an object route, validated. */
  function target(segments: string[]): { bucketId: string; name: string } {
    const [bucket, ...rest] = segments;
    if (bucket === undefined || bucket === "") throw errors.noSuchBucket();
    if (rest.length === 0) throw errors.invalidKey("");
    return { bucketId: mustBeValidBucketName(bucket), name: mustBeValidKey(rest.join("/")) };
  }

  function signedClaims(call: Call, expected: string, kind: "download" | "upload"): JwtClaims {
    const token = call.url.searchParams.get("token");
    if (!token) throw errors.missingParameter("token");
    let claims: JwtClaims;
    try {
      claims = verifyJwt(token, ctx.jwtSecret);
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      throw errors.invalidJwt(error.reason === "expired" ? "jwt expired" : "invalid signature");
    }
    // A signed URL names exactly one object, and a download token never uploads (nor the reverse).
    const isUpload = typeof claims.upsert === "boolean";
    if (claims.url !== expected || isUpload !== (kind === "upload")) throw errors.invalidSignature();
    return claims;
  }

  // Buckets ------------------------------------------------------------------------------------------------

  async function listBuckets(call: Call, caller: Caller) {
    const q = call.url.searchParams;
    const limit = q.has("limit") ? Number(q.get("limit")) : null;
    const offset = q.has("offset") ? Number(q.get("offset")) : 0;
    if (limit !== null && (!Number.isSafeInteger(limit) || limit < 1)) throw errors.invalidRequest("Invalid limit");
    if (!Number.isSafeInteger(offset) || offset < 0) throw errors.invalidRequest("Invalid offset");
    const column = q.get("sortColumn") ?? "name";
    if (!["id", "name", "created_at", "updated_at"].includes(column)) throw errors.invalidRequest("Invalid sortColumn");
    const order = (q.get("sortOrder") ?? "asc").toLowerCase();
    if (order !== "asc" && order !== "desc") throw errors.invalidRequest("Invalid sortOrder");
    const search = q.get("search") ?? "";
    if (search.includes("\u0000")) throw errors.invalidRequest("Invalid search");
    const rows = await db.as(
      caller,
      (tx) => tx<BucketRow[]>`
        select id, name, owner, public, type::text as type, file_size_limit, allowed_mime_types, created_at, updated_at
          from storage.buckets
         where name ilike ${"%" + escapeLike(search) + "%"}
         order by ${tx(column)} ${order === "desc" ? tx`desc` : tx`asc`}, id
         limit ${limit ?? null} offset ${offset}`,
    );
    sendJson(call.res, 200, rows.map(bucketJson));
  }

  function bucketOptions(body: Record<string, unknown>) {
    if (body.public !== undefined && typeof body.public !== "boolean") {
      throw errors.invalidRequest("public must be true or false");
    }
    return {
      public: body.public as boolean | undefined,
      fileSizeLimit: body.file_size_limit === undefined ? undefined : parseFileSizeLimit(body.file_size_limit),
      allowedMimeTypes:
        body.allowed_mime_types === undefined ? undefined : parseAllowedMimeTypes(body.allowed_mime_types),
    };
  }

  function checkAgainstGlobalLimit(limit: number | null | undefined) {
    if (typeof limit === "number" && limit > settings.fileSizeLimit) {
      throw errors.invalidRequest(
        `file_size_limit can't be more than the global file size limit of ${settings.fileSizeLimit} bytes`,
      );
    }
  }

  async function createBucket(call: Call, caller: Caller) {
    const body = await jsonBody(call.req);
    const name = mustBeValidBucketName(body.name ?? body.id);
    const id = body.id === undefined ? name : mustBeValidBucketName(body.id);
    if (body.type !== undefined && body.type !== "STANDARD") {
      throw errors.notImplemented(`Buckets of type ${JSON.stringify(body.type)}`);
    }
    const options = bucketOptions(body);
    checkAgainstGlobalLimit(options.fileSizeLimit);
    await db
      .as(
        caller,
        (tx) => tx`
        insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
        values (${id}, ${name}, ${caller.owner}, ${typeof caller.claims.sub === "string" ? caller.claims.sub : null},
                ${options.public ?? false}, ${options.fileSizeLimit ?? null}, ${options.allowedMimeTypes ?? null})`,
      )
      .catch((error) => {
        throw (error as { body?: { code?: string } }).body?.code === "KeyAlreadyExists"
          ? errors.bucketAlreadyExists()
          : error;
      });
    sendJson(call.res, 200, { name: id });
  }

  async function getBucket(call: Call, caller: Caller, id: string) {
    const bucket = await db.as(caller, (tx) => findBucket(tx, id));
    if (!bucket) throw errors.noSuchBucket();
    sendJson(call.res, 200, bucketJson(bucket));
  }

  async function updateBucket(call: Call, caller: Caller, id: string) {
    const body = await jsonBody(call.req);
    const options = bucketOptions(body);
    checkAgainstGlobalLimit(options.fileSizeLimit);
    const updated = await db.as(
      caller,
      (tx) => tx`
        update storage.buckets
           set public = coalesce(${options.public ?? null}::boolean, public),
               file_size_limit = case when ${options.fileSizeLimit !== undefined} then ${options.fileSizeLimit ?? null}::bigint
                                      else file_size_limit end,
               allowed_mime_types = case when ${options.allowedMimeTypes !== undefined} then ${options.allowedMimeTypes ?? null}::text[]
                                         else allowed_mime_types end,
               updated_at = now()
         where id = ${id}
        returning id`,
    );
    if (updated.length === 0) throw errors.noSuchBucket();
    sendJson(call.res, 200, { message: "Successfully updated" });
  }

  async function emptyBucket(call: Call, caller: Caller, id: string) {
    await bucketForUpload(id);
    const versions = await db.as(caller, async (tx) => {
      const rows = await tx<{ version: string | null }[]>`
        delete from storage.objects where bucket_id = ${id} returning version`;
      return rows.map((r) => r.version);
    });
    await files.remove(versions);
    sendJson(call.res, 200, { message: "Successfully emptied" });
  }

  async function deleteBucket(call: Call, caller: Caller, id: string) {
    // Objects keep their bucket (the foreign key has no cascade): a bucket is emptied before it goes.
    const [left] = await db.as(
      serviceCaller,
      (tx) => tx`select 1 from storage.objects where bucket_id = ${id} limit 1`,
    );
    await db.as(caller, async (tx) => {
      if (!(await findBucket(tx, id))) throw errors.noSuchBucket();
      if (left) throw errors.bucketNotEmpty();
      const deleted = await tx`delete from storage.buckets where id = ${id} returning id`;
      if (deleted.length === 0) throw errors.accessDenied("The bucket cannot be deleted by this role");
    });
    sendJson(call.res, 200, { message: "Successfully deleted" });
  }

  // Objects ------------------------------------------------------------------------------------------------

  async function listObjects(call: Call, caller: Caller, bucketId: string) {
    const body = await jsonBody(call.req);
    const givenPrefix = body.prefix ?? "";
    if (typeof givenPrefix !== "string") throw errors.invalidRequest("prefix must be a string");
    let prefix: string = givenPrefix;
    const limit = body.limit ?? 100;
    const offset = body.offset ?? 0;
    if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
      throw errors.invalidRequest("limit must be an integer, at least 1");
    }
    if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
      throw errors.invalidRequest("offset must be an integer, at least 0");
    }
    const search = body.search ?? "";
    if (typeof search !== "string") throw errors.invalidRequest("search must be a string");
    const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
    if (typeof sortBy !== "object" || sortBy === null) throw errors.invalidRequest("sortBy must be an object");
    const column = sortBy.column ?? "name";
    const order = typeof sortBy.order === "string" ? sortBy.order.toLowerCase() : (sortBy.order ?? "asc");
    if (typeof column !== "string" || !["name", "updated_at", "created_at", "last_accessed_at"].includes(column)) {
      throw errors.invalidRequest("sortBy.column must be one of name, updated_at, created_at, last_accessed_at");
    }
    if (order !== "asc" && order !== "desc") throw errors.invalidRequest("sortBy.order must be asc or desc");
    if (prefix.length > 0 && !prefix.endsWith("/")) prefix = `${prefix}/`;
    // The next name part after the prefix: objects at that level are files, deeper ones make folders.
    const level = prefix === "" ? 1 : prefix.split("/").length;
    const pattern = `${escapeLike(prefix)}${escapeLike(search)}%`;
    const direction = order === "desc" ? "desc" : "asc";
    // As Storage does, the bucket is looked up whoever asks; the policies on storage.objects decide what is listed.
    await bucketForUpload(bucketId);
    const rows = await db.as(caller, async (tx) => {
      return tx`
        with matching as (
          select id, path_tokens, updated_at, created_at, last_accessed_at, metadata
            from storage.objects
           where bucket_id = ${bucketId} and name ilike ${pattern}
        ), entries as (
          select distinct on (path_tokens[${level}]) 0 as kind, path_tokens[${level}] as name, null::uuid as id,
                 null::timestamptz as updated_at, null::timestamptz as created_at,
                 null::timestamptz as last_accessed_at, null::jsonb as metadata
            from matching where array_length(path_tokens, 1) > ${level}
          union all
          select 1, path_tokens[${level}], id, updated_at, created_at, last_accessed_at, metadata
            from matching where array_length(path_tokens, 1) = ${level}
        )
        select name, id, updated_at, created_at, last_accessed_at, metadata from entries
         order by kind,
                  ${column === "name" ? tx`name` : tx`case when kind = 0 then null else ${tx(column)} end`} ${direction === "desc" ? tx`desc nulls last` : tx`asc nulls last`},
                  name ${direction === "desc" ? tx`desc` : tx`asc`}
         limit ${limit} offset ${offset}`;
    });
    sendJson(call.res, 200, rows);
  }

  async function removeObjects(call: Call, caller: Caller, bucketId: string) {
    const body = await jsonBody(call.req);
    const prefixes = body.prefixes;
    if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.length > 1000) {
      throw errors.invalidRequest("prefixes must be a list of 1 to 1000 object names");
    }
    if (prefixes.some((p) => typeof p !== "string")) throw errors.invalidRequest("prefixes must be object names");
    mustBeValidBucketName(bucketId);
    const rows = await db.as(
      caller,
      (tx) => tx<ObjectRow[]>`
        delete from storage.objects where bucket_id = ${bucketId} and name = any(${prefixes as string[]}::text[])
        returning id, bucket_id, name, owner::text as owner, owner_id, version, metadata, user_metadata,
                  created_at, updated_at, last_accessed_at`,
    );
    await files.remove(rows.map((r) => r.version));
    sendJson(call.res, 200, rows.map(objectJson));
  }

  async function deleteObject(call: Call, caller: Caller, bucketId: string, name: string) {
    const rows = await db.as(
      caller,
      (tx) => tx<{ version: string | null }[]>`
        delete from storage.objects where bucket_id = ${bucketId} and name = ${name} returning version`,
    );
    if (rows.length === 0) throw errors.noSuchKey();
    await files.remove(rows.map((r) => r.version));
    sendJson(call.res, 200, { message: "Successfully deleted" });
  }

  function moveArguments(body: Record<string, unknown>) {
    const bucketId = mustBeValidBucketName(body.bucketId);
    const destinationBucket =
      body.destinationBucket === undefined || body.destinationBucket === null
        ? bucketId
        : mustBeValidBucketName(body.destinationBucket);
    if (typeof body.sourceKey !== "string") throw errors.missingParameter("sourceKey");
    if (typeof body.destinationKey !== "string") throw errors.missingParameter("destinationKey");
    return {
      bucketId,
      sourceKey: mustBeValidKey(body.sourceKey),
      destinationBucket,
      destinationKey: mustBeValidKey(body.destinationKey),
    };
  }

  /** An object entering another bucket meets that bucket's size and type limits. */
  async function mustFitBucket(object: ObjectRow, bucketId: string, destinationBucket: string) {
    if (bucketId === destinationBucket) return;
    const bucket = await bucketForUpload(destinationBucket);
    const size = Number(object.metadata?.size ?? 0);
    if (size > limitOf(bucket)) throw errors.entityTooLarge();
    mustBeAllowedMimeType(String(object.metadata?.mimetype ?? ""), bucket.allowed_mime_types);
  }

  async function moveObject(call: Call, caller: Caller) {
    const a = moveArguments(await jsonBody(call.req));
    const source = await findObject(caller, a.bucketId, a.sourceKey);
    await mustFitBucket(source, a.bucketId, a.destinationBucket);
    if (a.bucketId === a.destinationBucket && a.sourceKey === a.destinationKey) {
      return sendJson(call.res, 200, { message: "Successfully moved" });
    }
    await db.as(caller, async (tx) => {
      const moved = await tx`
        update storage.objects set bucket_id = ${a.destinationBucket}, name = ${a.destinationKey},
               last_accessed_at = now()
         where bucket_id = ${a.bucketId} and name = ${a.sourceKey}
        returning id`;
      if (moved.length === 0) throw errors.noSuchKey();
    });
    sendJson(call.res, 200, { message: "Successfully moved" });
  }

  async function copyObject(call: Call, caller: Caller) {
    const a = moveArguments(await jsonBody(call.req));
    const source = await findObject(caller, a.bucketId, a.sourceKey);
    await mustFitBucket(source, a.bucketId, a.destinationBucket);
    if (a.bucketId === a.destinationBucket && a.sourceKey === a.destinationKey) {
      return sendJson(call.res, 200, { Id: source.id, Key: `${a.destinationBucket}/${a.destinationKey}` });
    }
    const version = randomUUID();
    if (!(await files.copy(source.version, version))) throw errors.noSuchKey();
    try {
      const [row] = await db.as(
        caller,
        (tx) => tx<{ id: string }[]>`
          insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
          values (${a.destinationBucket}, ${a.destinationKey}, ${caller.owner},
                  ${typeof caller.claims.sub === "string" ? caller.claims.sub : null}, ${version},
                  ${source.metadata === null ? null : tx.json(source.metadata as never)},
                  ${source.user_metadata === null ? null : tx.json(source.user_metadata as never)})
          returning id`,
      );
      sendJson(call.res, 200, { Id: row!.id, Key: `${a.destinationBucket}/${a.destinationKey}` });
    } catch (error) {
      await files.remove([version]);
      throw error;
    }
  }

  function signedDownloadUrl(bucketId: string, name: string, expiresIn: number): string {
    const now = Math.floor(Date.now() / 1000);
    const url = `${bucketId}/${name}`;
    const token = signJwt({ url, iat: now, exp: now + expiresIn }, ctx.jwtSecret);
    return `/object/sign/${url}?token=${token}`;
  }

  async function signUrl(call: Call, caller: Caller, bucketId: string, name: string) {
    const body = await jsonBody(call.req);
    const expiresIn = positiveSeconds(body.expiresIn);
    if (body.transform !== undefined) throw errors.notImplemented("Image transformations");
    await findObject(caller, bucketId, name);
    sendJson(call.res, 200, { signedURL: signedDownloadUrl(bucketId, name, expiresIn) });
  }

  async function signUrls(call: Call, caller: Caller, bucketId: string) {
    const body = await jsonBody(call.req);
    const expiresIn = positiveSeconds(body.expiresIn);
    const paths = body.paths;
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > 1000) {
      throw errors.invalidRequest("paths must be a list of 1 to 1000 object names");
    }
    if (paths.some((p) => typeof p !== "string")) throw errors.invalidRequest("paths must be object names");
    const visible = await db.as(caller, async (tx) => {
      const rows = await tx<{ name: string }[]>`
        select name from storage.objects where bucket_id = ${bucketId} and name = any(${paths as string[]}::text[])`;
      return new Set(rows.map((r) => r.name));
    });
    sendJson(
      call.res,
      200,
      (paths as string[]).map((p) =>
        visible.has(p)
          ? { error: null, path: p, signedURL: signedDownloadUrl(bucketId, p, expiresIn) }
          : { error: "Either the object does not exist or you do not have access to it", path: p, signedURL: null },
      ),
    );
  }

  async function signedDownload(call: Call, bucketId: string, name: string) {
    signedClaims(call, `${bucketId}/${name}`, "download");
    await sendObject(call, await findObject(serviceCaller, bucketId, name));
  }

  async function createSignedUpload(call: Call, caller: Caller, bucketId: string, name: string) {
    const upsert = isUpsert(call.req);
    await bucketForUpload(bucketId);
    // Storage checks that the caller may create (or, upserting, replace) the object before signing.
    const probe = Symbol("rollback");
    await db
      .as(caller, async (tx) => {
        await tx`
          insert into storage.objects (bucket_id, name, owner, owner_id, version)
          values (${bucketId}, ${name}, ${caller.owner}, ${typeof caller.claims.sub === "string" ? caller.claims.sub : null}, ${randomUUID()})
          ${upsert ? tx`on conflict (bucket_id, name) do update set version = excluded.version` : tx``}`;
        throw probe;
      })
      .catch((error) => {
        if (error !== probe) throw error;
      });
    const now = Math.floor(Date.now() / 1000);
    const url = `${bucketId}/${name}`;
    const claims = { owner: caller.owner ?? undefined, url, upsert, iat: now, exp: now + signedUploadSeconds };
    const token = signJwt(claims, ctx.jwtSecret);
    sendJson(call.res, 200, { url: `/object/upload/sign/${url}?token=${token}`, token });
  }

  async function uploadToSigned(call: Call, bucketId: string, name: string) {
    const claims = signedClaims(call, `${bucketId}/${name}`, "upload");
    const owner = typeof claims.owner === "string" && uuidPattern.test(claims.owner) ? claims.owner : null;
    const actor: Caller = { ...serviceCaller, claims: { role: "service_role", ...(owner ? { sub: owner } : {}) } };
    const stored = await storeUpload(call, actor, owner, bucketId, name, claims.upsert === true ? "upsert" : "create");
    sendJson(call.res, 200, stored);
  }

  async function publicDownload(call: Call, bucketId: string, name: string) {
    const bucket = await db.as(serviceCaller, (tx) => findBucket(tx, bucketId));
    if (!bucket || !bucket.public) throw errors.noSuchBucket();
    await sendObject(call, await findObject(serviceCaller, bucketId, name));
  }

  async function objectInfo(call: Call, caller: Caller, bucketId: string, name: string) {
    const object = await findObject(caller, bucketId, name);
    const meta = object.metadata ?? {};
    sendJson(call.res, 200, {
      id: object.id,
      name: object.name,
      version: object.version,
      bucket_id: object.bucket_id,
      size: typeof meta.size === "number" ? meta.size : null,
      content_type: typeof meta.mimetype === "string" ? meta.mimetype : null,
      cache_control: typeof meta.cacheControl === "string" ? meta.cacheControl : null,
      etag: typeof meta.eTag === "string" ? meta.eTag : null,
      metadata: object.user_metadata,
      last_modified: object.updated_at,
      created_at: object.created_at,
    });
  }

  // Routing ------------------------------------------------------------------------------------------------

  async function route(call: Call): Promise<void> {
    const { method, segments, req, url } = call;
    const [area, second, ...rest] = segments;
    const caller = () => authenticate(req, url);

    if (area === "bucket") {
      if (second === undefined || second === "") {
        if (method === "GET") return listBuckets(call, caller());
        if (method === "POST") return createBucket(call, caller());
      } else if (rest.length === 0) {
        if (method === "GET") return getBucket(call, caller(), second);
        if (method === "PUT") return updateBucket(call, caller(), second);
        if (method === "DELETE") return deleteBucket(call, caller(), second);
      } else if (rest.length === 1 && rest[0] === "empty" && method === "POST") {
        return emptyBucket(call, caller(), second);
      }
    } else if (area === "object" && second !== undefined) {
      const isRead = method === "GET" || method === "HEAD";
      if (second === "list" && method === "POST" && rest.length === 1) {
        return listObjects(call, caller(), mustBeValidBucketName(rest[0]));
      }
      if (second === "list-v2") throw errors.notImplemented("Listing with list-v2");
      if (second === "move" && method === "POST" && rest.length === 0) return moveObject(call, caller());
      if (second === "copy" && method === "POST" && rest.length === 0) return copyObject(call, caller());
      if (second === "sign") {
        if (method === "POST" && rest.length === 1) return signUrls(call, caller(), mustBeValidBucketName(rest[0]));
        const t = target(rest);
        if (method === "POST") return signUrl(call, caller(), t.bucketId, t.name);
        if (isRead) return signedDownload(call, t.bucketId, t.name);
      }
      if (second === "upload" && rest[0] === "sign") {
        const t = target(rest.slice(1));
        if (method === "POST") return createSignedUpload(call, caller(), t.bucketId, t.name);
        if (method === "PUT") return uploadToSigned(call, t.bucketId, t.name);
      }
      if (second === "upload" && rest[0] === "resumable") throw errors.notImplemented("Resumable (TUS) uploads");
      if (second === "public" && isRead) {
        const t = target(rest);
        return publicDownload(call, t.bucketId, t.name);
      }
      if (second === "authenticated" && isRead) {
        const t = target(rest);
        return sendObject(call, await findObject(caller(), t.bucketId, t.name));
      }
      if (second === "info" && method === "GET") {
        const scoped = rest[0] === "public" || rest[0] === "authenticated" ? rest.slice(1) : rest;
        const t = target(scoped);
        if (rest[0] === "public") {
          const bucket = await db.as(serviceCaller, (tx) => findBucket(tx, t.bucketId));
          if (!bucket || !bucket.public) throw errors.noSuchBucket();
          return objectInfo(call, serviceCaller, t.bucketId, t.name);
        }
        return objectInfo(call, caller(), t.bucketId, t.name);
      }
      if (rest.length === 0 && method === "DELETE") return removeObjects(call, caller(), second);
      const t = target([second, ...rest]);
      if (method === "POST") {
        const who = caller();
        const stored = await storeUpload(call, who, who.owner, t.bucketId, t.name, isUpsert(req) ? "upsert" : "create");
        return sendJson(call.res, 200, stored);
      }
      if (method === "PUT") {
        const who = caller();
        return sendJson(call.res, 200, await storeUpload(call, who, who.owner, t.bucketId, t.name, "update"));
      }
      if (isRead) return sendObject(call, await findObject(caller(), t.bucketId, t.name));
      if (method === "DELETE") return deleteObject(call, caller(), t.bucketId, t.name);
    } else if (area === "render") {
      throw errors.notImplemented("Image transformations");
    } else if (area === "upload" && second === "resumable") {
      throw errors.notImplemented("Resumable (TUS) uploads");
    } else if (area === "s3") {
      throw errors.notImplemented("The S3 protocol");
    } else if (area === "cdn") {
      throw errors.notImplemented("CDN cache purges");
    } else if (area === "iceberg" || area === "vector") {
      throw errors.notImplemented("Analytics and vector buckets");
    }
    throw errors.routeNotFound(method, `/storage/v1/${segments.join("/")}`);
  }

  return {
    async handle(req, res, rawPath, url) {
      const call: Call = { req, res, url, method: req.method ?? "GET", segments: decodeSegments(rawPath) };
      try {
        await route(call);
      } catch (error) {
        // A body left unread would be taken for the next request on a kept-alive connection.
        if (!req.readableEnded && !req.destroyed) req.resume();
        if (error instanceof HttpError) throw error;
        console.error("storage error", error);
        throw storageError(500, "InternalError", "Internal server error");
      }
    },
    close: () => db.close(),
  };
}
