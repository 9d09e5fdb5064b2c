// The local Storage's own side, beyond what storage-js can send: raw requests storage-js never makes, the
// stack's global file size limit, and where the bytes live. Devstack only (a real project has its own).
import fs from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticatorPassword, demoKeys } from "../../devstack/config.ts";
import { startGateway, type Gateway } from "../../devstack/gateway/server.ts";
import { db } from "./fixtures/auth-clients.ts";
import { configWith, onDevstack } from "./fixtures/own-gateway.ts";
import { loggedStatementsContaining, mintJwt } from "./fixtures/rest-env.ts";
import { createTestBucket, dropTestBucket, expectStorageError, ok, runId, serviceStorage } from "./fixtures/storage.ts";

const url = process.env.SUPABASE_URL!;
const service = { apikey: demoKeys.serviceRoleKey, authorization: `Bearer ${demoKeys.serviceRoleKey}` };
let bucket: string;

beforeAll(async () => {
  if (onDevstack) bucket = await createTestBucket("raw");
});

afterAll(async () => {
  if (onDevstack) await dropTestBucket(bucket);
});

async function raw(pathname: string, init: RequestInit = {}) {
  const res = await fetch(`${url}/storage/v1${pathname}`, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body: body as Record<string, unknown> };
}

/** Storage's error body, exactly its four keys, with the status it means. */
function expectBody(body: Record<string, unknown>, statusCode: string) {
  expect(Object.keys(body).sort()).toEqual(["code", "error", "message", "statusCode"]);
  expect(body.statusCode).toBe(statusCode);
}

describe.skipIf(!onDevstack)("the local /storage/v1", () => {
  it("checks the JWT itself: none, a forged one, an expired one and a role the API does not have are refused", async () => {
    const none = await raw("/bucket");
    expect(none.status).toBe(400);
    expectBody(none.body, "400");
    const forged = await raw("/bucket", {
      headers: { authorization: `Bearer ${mintJwt({ role: "service_role" }, "x".repeat(40))}` },
    });
    expect(forged.status).toBe(400);
    expectBody(forged.body, "403");
    const now = Math.floor(Date.now() / 1000);
    const expired = await raw("/bucket", {
      headers: { authorization: `Bearer ${mintJwt({ role: "service_role", exp: now - 5 })}` },
    });
    expectBody(expired.body, "403");
    expect(expired.body.message).toBe("jwt expired");
    for (const role of ["postgres", "authenticator", "supabase_storage_admin"]) {
      const other = await raw("/bucket", { headers: { authorization: `Bearer ${mintJwt({ role, exp: now + 60 })}` } });
      expectBody(other.body, "403");
    }
    // Public and signed URLs carry no key, as on Supabase, whose gateway leaves Storage's keys to Storage.
    const listed = await raw("/bucket", { headers: { authorization: service.authorization } });
    expect(listed.status).toBe(200);
  });

  it("refuses malformed bodies and paths with 400 and Storage's body, never a 5xx", async () => {
    const json = { ...service, "content-type": "application/json" };
    const cases: Array<[string, RequestInit]> = [
      [`/object/list/${bucket}`, { method: "POST", headers: json, body: "{not json" }],
      [`/object/list/${bucket}`, { method: "POST", headers: json, body: "[1]" }],
      [`/object/list/${bucket}`, { method: "POST", headers: json, body: "[".repeat(5000) + "]".repeat(5000) }],
      [`/object/list/${bucket}`, { method: "POST", headers: json, body: JSON.stringify({ prefix: 7 }) }],
      [`/object/list/${bucket}`, { method: "POST", headers: json, body: JSON.stringify({ prefix: "a\u0000" }) }],
      [`/object/move`, { method: "POST", headers: json, body: JSON.stringify({ bucketId: bucket }) }],
      [`/object/${bucket}`, { method: "DELETE", headers: json, body: JSON.stringify({ prefixes: "a" }) }],
      [`/object/${bucket}/%E0%A4%A`, { method: "GET", headers: service }],
      [
        `/object/${bucket}/a%00b.txt`,
        { method: "POST", headers: { ...service, "content-type": "text/plain" }, body: "x" },
      ],
      [
        `/object/${bucket}/form.txt`,
        { method: "POST", headers: { ...service, "content-type": "multipart/form-data; boundary=x" }, body: "--x--" },
      ],
      [
        `/object/${bucket}/typed.txt`,
        { method: "POST", headers: { ...service, "content-type": "text/plain; note=\u00e9t\u00e9" }, body: "hi" },
      ],
      [`/bucket`, { method: "POST", headers: json, body: JSON.stringify({ name: "b", public: "yes" }) }],
      [`/bucket`, { method: "POST", headers: json, body: JSON.stringify({ name: "b", file_size_limit: -1 }) }],
      [`/bucket?limit=-1`, { method: "GET", headers: service }],
      [`/object/sign/${bucket}/a.txt`, { method: "GET" }],
    ];
    for (const [pathname, init] of cases) {
      const res = await raw(pathname, init);
      expect(res.status, `${init.method} ${pathname} → ${JSON.stringify(res.body)}`).toBe(400);
      expectBody(res.body, "400");
    }
    const unknown = await raw("/nowhere", { headers: service });
    expect(unknown.status).toBe(404);
    expectBody(unknown.body, "404");
  });

  it("keeps a signed download token and a signed upload token apart", async () => {
    const files = serviceStorage().from(bucket);
    ok(await files.upload("tokens/a.txt", "a", { contentType: "text/plain" }));
    const download = ok(await files.createSignedUrl("tokens/a.txt", 60));
    const downloadToken = new URL(download.signedUrl).searchParams.get("token")!;
    const upload = ok(await files.createSignedUploadUrl("tokens/a.txt", { upsert: true }));
    const asUpload = await raw(`/object/upload/sign/${bucket}/tokens/a.txt?token=${downloadToken}`, {
      method: "PUT",
      headers: { "content-type": "text/plain" },
      body: "overwritten",
    });
    expectBody(asUpload.body, "400");
    const asDownload = await raw(`/object/sign/${bucket}/tokens/a.txt?token=${upload.token}`);
    expectBody(asDownload.body, "400");
    expect(await (await fetch(download.signedUrl)).text()).toBe("a");
  });

  it("keeps the bytes under the stack's data directory, one file per version, removed with the object", async () => {
    const storageDir = path.join(path.dirname(process.env.POSTGRES_LOG!), "storage");
    const files = serviceStorage().from(bucket);
    const versionOf = async (name: string) =>
      (
        await db<
          { version: string }[]
        >`select version from storage.objects where bucket_id = ${bucket} and name = ${name}`
      )[0]!.version;
    ok(await files.upload("disk/a.txt", "one", { contentType: "text/plain" }));
    const first = await versionOf("disk/a.txt");
    expect(fs.readFileSync(path.join(storageDir, first), "utf8")).toBe("one");
    ok(await files.upload("disk/a.txt", "two", { contentType: "text/plain", upsert: true }));
    const second = await versionOf("disk/a.txt");
    expect(fs.existsSync(path.join(storageDir, first))).toBe(false);
    expect(fs.readFileSync(path.join(storageDir, second), "utf8")).toBe("two");
    expectStorageError(await files.upload("disk/a.txt", "three", { contentType: "text/plain" }), "409");
    ok(await files.remove(["disk/a.txt"]));
    expect(fs.existsSync(path.join(storageDir, second))).toBe(false);
    // A refused upload leaves no file behind.
    expect(fs.readdirSync(storageDir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("sends names, prefixes, searches and metadata to PostgreSQL only as bound values", async () => {
    if (!process.env.POSTGRES_LOG) return;
    const marker = (i: number) => `storagesqli${runId}m${i}`;
    const files = serviceStorage().from(bucket);
    ok(
      await files.upload(`sqli/${marker(0)}'); drop table storage.objects; --.txt`, "x", { contentType: "text/plain" }),
    );
    ok(await files.list(`sqli/${marker(1)}' or '1'='1`, { search: `${marker(2)}' --` }));
    ok(await files.upload("sqli/meta.txt", "x", { contentType: "text/plain", metadata: { note: `${marker(3)}'` } }));
    ok(await serviceStorage().listBuckets({ search: `${marker(4)}'` }));
    await serviceStorage().createBucket(`conf-${marker(5)}'`, { public: false });
    await serviceStorage().deleteBucket(`conf-${marker(5)}'`);
    ok(await files.createSignedUrls([`sqli/${marker(6)}'`], 60));
    await new Promise((r) => setTimeout(r, 300));
    // The log is really being read: the first marker travelled as a bound value.
    expect(fs.readFileSync(process.env.POSTGRES_LOG, "utf8")).toContain(marker(0));
    for (let i = 0; i <= 6; i++) expect(loggedStatementsContaining(marker(i)), marker(i)).toEqual([]);
  });

  describe("with a global file size limit of 2KiB", () => {
    let gateway: Gateway;
    let ownUrl: string;
    const own = () =>
      createClient(ownUrl, demoKeys.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } })
        .storage;

    beforeAll(async () => {
      const dbUrl = new URL(process.env.SUPABASE_DB_URL!);
      const as = (user: string) => `postgresql://${user}:${authenticatorPassword}@${dbUrl.host}${dbUrl.pathname}`;
      gateway = await startGateway(
        {
          jwtSecret: demoKeys.jwtSecret,
          anonKey: demoKeys.anonKey,
          serviceRoleKey: demoKeys.serviceRoleKey,
          authenticatorUrl: as("authenticator"),
          authAdminUrl: as("supabase_auth_admin"),
          maxBodyBytes: 1024 * 1024,
          jwtExpirySeconds: 3600,
          functionPorts: {},
          publicUrl: "http://127.0.0.1",
          configPath: configWith({ file_size_limit: '"2KiB"' }),
          storageDir: mkdtempSync(path.join(tmpdir(), "storage-")),
        },
        0,
      );
      ownUrl = `http://127.0.0.1:${gateway.port}`;
    });

    afterAll(async () => {
      await gateway.close();
    });

    it("refuses larger uploads in a bucket without a limit of its own, and bucket limits above it", async () => {
      ok(await own().from(bucket).upload("global/fits.txt", Buffer.alloc(2048), { contentType: "text/plain" }));
      expectStorageError(
        await own().from(bucket).upload("global/big.txt", Buffer.alloc(2049), { contentType: "text/plain" }),
        "413",
      );
      expectStorageError(await own().createBucket(`${bucket}-big`, { public: false, fileSizeLimit: 4096 }), "400");
    });
  });
});
