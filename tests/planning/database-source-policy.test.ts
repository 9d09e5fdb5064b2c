// Database sources only reach hosts the source policy allows. Adding a source on a refused host is refused
// (422 host_not_allowed, nothing stored). "Test connection" checks again, for a source added before the policy
// refused its host or whose name now resolves elsewhere: the deployed function (which the devstack allows loopback)
// refuses the cloud metadata address, and under the default policy a loopback port cannot be probed. A refused
// host is answered 422 host_not_allowed, recorded on the source, and never connected to.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authServerLookup } from "../../supabase/functions/_shared/auth.ts";
import { hostPolicy } from "../../supabase/functions/_shared/sources/policy.ts";
import { createPlanningSourcesApp } from "../../supabase/functions/planning-sources/app.ts";
import { startTrapServer, type TrapServer } from "../support/trap-server.ts";
import { anonKey, callSources, db, dbUrl, draftPlanningVersion, type SignedIn, signIn, url } from "./support.ts";

let tester: SignedIn;
let versionId: string;
let trap: TrapServer;

function connection(host: string, sourcePort: number) {
  return {
    name: `Probe ${host}:${sourcePort}`,
    host,
    port: sourcePort,
    database: "postgres",
    table: "anything",
    user: "nobody",
    password: "probe-password",
  };
}

/** A source stored directly, as one added before the policy refused its host would be. */
async function storedSource(host: string, sourcePort: number): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into public.planning_data_sources (version_id, name, source_type, host, port, database_name, schema_name,
      table_name, username)
    values (${versionId}, ${`Stored ${host}`}, 'database', ${host}, ${sourcePort}, 'postgres', 'public', 'anything',
      'nobody')
    returning id`;
  await db`insert into private.planning_data_source_secrets (data_source_id, password) values (${row!.id}, 'probe-password')`;
  return row!.id;
}

async function addSource(host: string, sourcePort: number): Promise<string> {
  const created = await callSources(tester.token, `/versions/${versionId}/databases`, {
    json: connection(host, sourcePort),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  tester = await signIn("tester@example.com");
  ({ versionId } = await draftPlanningVersion(tester, "source policy"));
  trap = await startTrapServer({ ipv6: true });
});

afterAll(() => trap.close());

describe("adding a source", () => {
  it("refuses a host the policy refuses, and stores nothing", async () => {
    const before =
      await db`select count(*)::int as n from public.planning_data_sources where version_id = ${versionId}`;
    const { status, body } = await callSources(tester.token, `/versions/${versionId}/databases`, {
      json: connection("169.254.169.254", 80),
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: "host_not_allowed",
      message: expect.stringMatching(/may not connect to 169\.254\.169\.254/),
    });
    expect(JSON.stringify(body)).not.toContain("probe-password");
    const after = await db`select count(*)::int as n from public.planning_data_sources where version_id = ${versionId}`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("accepts a name that does not resolve yet, which test connection then reports", async () => {
    const sourceId = await addSource("no-such-host.invalid", 5432);
    const { status, body } = await callSources(tester.token, `/sources/${sourceId}/test`);
    expect(status).toBe(422);
    expect(body).toMatchObject({ source: { id: sourceId, status: "error" } });
  });
});

describe("test connection", () => {
  it("refuses the cloud metadata address with host_not_allowed and records why", async () => {
    // Stored before the policy refused its host: the test connects to nothing it has not checked again.
    const [row] = await db<{ id: string }[]>`
      insert into public.planning_data_sources (version_id, name, source_type, host, port, database_name, schema_name,
        table_name, username)
      values (${versionId}, 'Metadata', 'database', '169.254.169.254', 80, 'postgres', 'public', 'anything', 'nobody')
      returning id`;
    const sourceId = row!.id;
    await db`insert into private.planning_data_source_secrets (data_source_id, password) values (${sourceId}, 'probe-password')`;
    const started = Date.now();
    const { status, body } = await callSources(tester.token, `/sources/${sourceId}/test`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: "host_not_allowed",
      message: expect.stringMatching(/may not connect to 169\.254\.169\.254/),
      source: { id: sourceId, status: "error", error: expect.stringMatching(/may not connect to 169\.254\.169\.254/) },
    });
    expect(JSON.stringify(body)).not.toContain("probe-password");
  });

  it("under the default policy refuses a loopback port without connecting to it", async () => {
    const sql = postgres(dbUrl, { max: 2, onnotice: () => undefined });
    try {
      const app = createPlanningSourcesApp({
        sql,
        lookupUser: authServerLookup(url, anonKey),
        maxUploadBytes: 1024,
        sourcePolicy: { hosts: hostPolicy(undefined), ssl: "prefer" },
      });
      for (const host of ["127.0.0.1", "localhost"]) {
        const sourceId = await addSource(host, trap.port);
        const response = await app.request(`/planning-sources/sources/${sourceId}/test`, {
          method: "POST",
          headers: { Authorization: `Bearer ${tester.token}` },
        });
        expect(response.status).toBe(422);
        expect(await response.json()).toMatchObject({
          code: "host_not_allowed",
          message: expect.stringMatching(/loopback, link-local, unspecified, cloud metadata and other reserved/),
          source: { status: "error" },
        });
      }
      // Texts the driver or the resolver read as loopback: an IPv4-compatible or -mapped IPv6 address (which
      // postgres.js split on ":" into an empty host, localhost) and an octal IPv4 address (0177 is 127).
      for (const host of ["::127.0.0.1", "::ffff:7f00:1", "::7f00:1", "0177.0.0.1"]) {
        const sourceId = await storedSource(host, trap.port);
        const response = await app.request(`/planning-sources/sources/${sourceId}/test`, {
          method: "POST",
          headers: { Authorization: `Bearer ${tester.token}` },
        });
        expect(response.status, host).toBe(422);
        expect(await response.json()).toMatchObject({ code: "host_not_allowed", source: { status: "error" } });
      }
      expect(trap.connections()).toBe(0);
    } finally {
      await sql.end();
    }
  });
});
