import { Hono } from "hono";
import type postgres from "postgres";
import { z } from "zod";
import { requireUser, type UserEnv, type UserLookup } from "../_shared/auth.ts";
import { errorResponse, HttpError } from "../_shared/http-errors.ts";
import { parseInput } from "../_shared/request-input.ts";
import { IngestError } from "../_shared/ingest/ingest.ts";
import { megabytes } from "../_shared/ingest/guard.ts";
import {
  checkSourceHost,
  HostNotAllowedError,
  type HostPolicy,
  HostUnresolvedError,
  type SourcePolicy,
  sourcePolicyFromEnv,
} from "../_shared/sources/policy.ts";
import { inspectPostgresTable } from "../_shared/sources/postgres.ts";
import {
  addDatabaseSource,
  addResponseDatabaseSource,
  testDatabaseSource,
  testResponseSource,
  updateDatabaseSource,
  uploadFileSource,
  uploadResponseSource,
} from "./sources.ts";

export interface PlanningSourcesConfig {
  sql: postgres.Sql;
  lookupUser: UserLookup;
  /** Largest accepted upload in bytes. */
  maxUploadBytes: number;
  /** Which hosts database sources may be on, and over what SSL; DATABASE_SOURCE_ALLOWED_HOSTS and _SSL by default. */
  sourcePolicy?: SourcePolicy;
}

const uuid = z.string().uuid();
const bigintId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const name = z.string().trim().min(1).max(255);
const databaseSource = z.object({
  name,
  description: z.string().max(10_000).nullish(),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().trim().min(1).max(63),
  schema: z.string().trim().min(1).max(63).optional(),
  table: z.string().trim().min(1).max(63),
  user: z.string().trim().min(1).max(63),
  password: z.string().min(1).max(1000),
});

/** A database source given as a response to a data request: for which item (absent: the response's or the only one). */
const responseDatabaseSource = databaseSource.omit({ description: true }).extend({ item_id: bigintId.nullish() });

/** A correction of a database source: the same fields, the password optional (blank keeps the stored one). */
const databaseSourceUpdate = databaseSource.extend({ password: z.string().max(1000).optional() });

function ingestStatus(error: IngestError): 400 | 409 | 413 {
  if (error.code === "too_large") return 413;
  return error.code === "table_exists" ? 409 : 400;
}

/**
 * A host the policy refuses is refused when the source is added (422 host_not_allowed, nothing stored). A name
 * that does not resolve yet is accepted: "test connection" reports it. That test checks the host again, since
 * a name can resolve elsewhere later and the policy can change.
 */
async function refuseHostOutsidePolicy(host: string, policy: HostPolicy): Promise<void> {
  try {
    await checkSourceHost(host, policy);
  } catch (error) {
    if (error instanceof HostNotAllowedError) throw new HttpError(422, error.code, error.message);
    if (!(error instanceof HostUnresolvedError)) throw error;
  }
}

/**
 * /planning-sources: data sources of planning versions.
 * - POST /versions/:versionId/uploads?name=… (body: the CSV file) → 201 the new file_upload source
 * - POST /versions/:versionId/databases (JSON connection details and password) → 201 the new database source,
 *   or 422 `host_not_allowed` for a host the source policy refuses
 * - PATCH /sources/:id (JSON as for databases, password optional) → 200 the corrected database source, back to
 *   not tested; 422 `host_not_allowed` as above
 * - POST /sources/:id/test → 200 the source with the table's schema, or 422 with why the connection failed
 *   (`host_not_allowed`, without any connection attempt, for a host the source policy refuses)
 * Sources given as responses to data requests (request_data_sources, decision 029), by the request's data provider:
 * - POST /responses/:responseId/uploads?name=…&item=… (body: the CSV file) → 201 the response's file_upload source
 * - POST /responses/:responseId/databases (JSON as for databases, with item_id) → 201 the response's database source
 * - POST /response-sources/:id/test → as /sources/:id/test, for a response's database source
 */
export function createPlanningSourcesApp(config: PlanningSourcesConfig) {
  const sourcePolicy = config.sourcePolicy ?? sourcePolicyFromEnv();
  const app = new Hono<UserEnv>().basePath("/planning-sources");
  app.onError((error, c) =>
    error instanceof IngestError ? c.json(error.toJSON(), ingestStatus(error)) : errorResponse(c, error),
  );
  app.use("*", requireUser(config.lookupUser));

  app.post("/versions/:versionId/uploads", async (c) => {
    const versionId = parseInput(uuid, c.req.param("versionId"), "version id");
    const sourceName = parseInput(name, c.req.query("name"), "name");
    const length = Number(c.req.header("Content-Length") ?? 0);
    if (length > config.maxUploadBytes) {
      await c.req.raw.body?.cancel().catch(() => undefined);
      throw new IngestError("too_large", `The file is larger than the ${megabytes(config.maxUploadBytes)} limit.`);
    }
    const stream = c.req.raw.body;
    if (!stream) throw new IngestError("empty_file", "The file is empty.");
    const source = await uploadFileSource(config.sql, c.get("user").id, {
      versionId,
      name: sourceName,
      stream,
      maxBytes: config.maxUploadBytes,
    });
    return c.json(source, 201);
  });

  app.post("/versions/:versionId/databases", async (c) => {
    const versionId = parseInput(uuid, c.req.param("versionId"), "version id");
    const body = parseInput(databaseSource, await c.req.json().catch(() => null), "database source");
    const { name: sourceName, description, ...connection } = body;
    await refuseHostOutsidePolicy(connection.host, sourcePolicy.hosts);
    const source = await addDatabaseSource(config.sql, c.get("user").id, {
      versionId,
      name: sourceName,
      description,
      connection,
    });
    return c.json(source, 201);
  });

  app.patch("/sources/:id", async (c) => {
    const sourceId = parseInput(uuid, c.req.param("id"), "data source id");
    const body = parseInput(databaseSourceUpdate, await c.req.json().catch(() => null), "database source");
    const { name: sourceName, description, password, ...connection } = body;
    await refuseHostOutsidePolicy(connection.host, sourcePolicy.hosts);
    const source = await updateDatabaseSource(config.sql, c.get("user").id, sourceId, {
      name: sourceName,
      description,
      connection,
      password: password || undefined,
    });
    return c.json(source, 200);
  });

  app.post("/sources/:id/test", async (c) => {
    const sourceId = parseInput(uuid, c.req.param("id"), "data source id");
    const { source, failure } = await testDatabaseSource(config.sql, c.get("user").id, sourceId, (source) =>
      inspectPostgresTable(source, sourcePolicy),
    );
    return failure ? c.json({ ...failure.toJSON(), source }, 422) : c.json(source, 200);
  });

  app.post("/responses/:responseId/uploads", async (c) => {
    const responseId = parseInput(bigintId, c.req.param("responseId"), "response id");
    const item = c.req.query("item");
    const itemId = item ? parseInput(bigintId, item, "item id") : null;
    const sourceName = parseInput(name, c.req.query("name"), "name");
    const length = Number(c.req.header("Content-Length") ?? 0);
    if (length > config.maxUploadBytes) {
      await c.req.raw.body?.cancel().catch(() => undefined);
      throw new IngestError("too_large", `The file is larger than the ${megabytes(config.maxUploadBytes)} limit.`);
    }
    const stream = c.req.raw.body;
    if (!stream) throw new IngestError("empty_file", "The file is empty.");
    const source = await uploadResponseSource(config.sql, c.get("user").id, {
      responseId,
      itemId,
      name: sourceName,
      stream,
      maxBytes: config.maxUploadBytes,
    });
    return c.json(source, 201);
  });

  app.post("/responses/:responseId/databases", async (c) => {
    const responseId = parseInput(bigintId, c.req.param("responseId"), "response id");
    const body = parseInput(responseDatabaseSource, await c.req.json().catch(() => null), "database source");
    const { name: sourceName, item_id, ...connection } = body;
    await refuseHostOutsidePolicy(connection.host, sourcePolicy.hosts);
    const source = await addResponseDatabaseSource(config.sql, c.get("user").id, {
      responseId,
      itemId: item_id ?? null,
      name: sourceName,
      connection,
    });
    return c.json(source, 201);
  });

  app.post("/response-sources/:id/test", async (c) => {
    const sourceId = parseInput(uuid, c.req.param("id"), "data source id");
    const { source, failure } = await testResponseSource(config.sql, c.get("user").id, sourceId, (source) =>
      inspectPostgresTable(source, sourcePolicy),
    );
    return failure ? c.json({ ...failure.toJSON(), source }, 422) : c.json(source, 200);
  });

  return app;
}
