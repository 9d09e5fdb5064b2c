// Storage conformance: what the app and storage-js rely on, driven only through storage-js, so
// `npx vitest run tests/devstack/storage` also checks a real project (see docs/decisions/020-local-storage.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anon } from "./fixtures/auth-clients.ts";
import {
  bucketName,
  bytesOf,
  createOwnFolderPolicies,
  createTestBucket,
  dropTestBucket,
  expectStorageError,
  ok,
  serviceStorage,
  storageUser,
  type StorageUser,
} from "./fixtures/storage.ts";

const storage = serviceStorage();
const buckets: string[] = [];
let privateBucket: string;
let publicBucket: string;

beforeAll(async () => {
  privateBucket = await createTestBucket("private");
  publicBucket = await createTestBucket("public", { public: true });
  buckets.push(privateBucket, publicBucket);
});

afterAll(async () => {
  for (const id of buckets) await dropTestBucket(id);
});

describe("buckets", () => {
  it("creates, reads, lists, updates, empties and deletes a bucket", async () => {
    const id = bucketName("lifecycle");
    expect(
      ok(await storage.createBucket(id, { public: false, fileSizeLimit: "1MB", allowedMimeTypes: ["text/*"] })),
    ).toEqual({ name: id });
    const bucket = ok(await storage.getBucket(id));
    expect(bucket).toMatchObject({
      id,
      name: id,
      public: false,
      file_size_limit: 1_000_000,
      allowed_mime_types: ["text/*"],
    });
    expect(ok(await storage.listBuckets()).map((b) => b.id)).toContain(id);
    expect(ok(await storage.updateBucket(id, { public: true, fileSizeLimit: 2048, allowedMimeTypes: null }))).toEqual({
      message: "Successfully updated",
    });
    expect(ok(await storage.getBucket(id))).toMatchObject({
      public: true,
      file_size_limit: 2048,
      allowed_mime_types: null,
    });

    ok(await storage.from(id).upload("a.txt", "a", { contentType: "text/plain" }));
    expectStorageError(await storage.deleteBucket(id), "409", "The bucket you tried to delete is not empty");
    expect(ok(await storage.emptyBucket(id))).toEqual({ message: "Successfully emptied" });
    expect(ok(await storage.deleteBucket(id))).toEqual({ message: "Successfully deleted" });
    expectStorageError(await storage.getBucket(id), "404", "Bucket not found");
  });

  it("refuses a bucket that exists, a bad name, and an unknown bucket", async () => {
    expectStorageError(await storage.createBucket(privateBucket), "409", "The resource already exists");
    expectStorageError(await storage.createBucket("bad/name"), "400");
    expectStorageError(await storage.getBucket(bucketName("missing")), "404", "Bucket not found");
    expectStorageError(await storage.updateBucket(bucketName("missing"), { public: true }), "404");
    expectStorageError(await storage.deleteBucket(bucketName("missing")), "404");
  });

  it("leaves bucket creation to RLS: anon and signed-in users have no policy on storage.buckets", async () => {
    expectStorageError(await anon().storage.createBucket(bucketName("by-anon")), "403");
    const user = await storageUser();
    expectStorageError(await user.supabase.storage.createBucket(bucketName("by-user")), "403");
    expect(ok(await user.supabase.storage.listBuckets()).map((b) => b.id)).not.toContain(privateBucket);
  });
});

describe("objects", () => {
  it("uploads raw bytes and a Blob, downloads them, and reports info and existence", async () => {
    const files = storage.from(privateBucket);
    const uploaded = ok(await files.upload("docs/raw.txt", Buffer.from("raw bytes"), { contentType: "text/plain" }));
    expect(uploaded).toMatchObject({ path: "docs/raw.txt", fullPath: `${privateBucket}/docs/raw.txt` });
    expect(uploaded.id).toMatch(/^[0-9a-f-]{36}$/);
    ok(
      await files.upload("docs/blob.csv", new Blob(["a,b\n1,2\n"], { type: "text/csv" }), {
        metadata: { kind: "csv" },
      }),
    );

    expect((await bytesOf(await files.download("docs/raw.txt"))).toString()).toBe("raw bytes");
    const blob = ok(await files.download("docs/blob.csv"));
    expect(blob.type).toBe("text/csv");
    expect(await blob.text()).toBe("a,b\n1,2\n");

    const info = ok(await files.info("docs/blob.csv"));
    expect(info).toMatchObject({ name: "docs/blob.csv", bucketId: privateBucket, size: 8, contentType: "text/csv" });
    expect(info.metadata).toEqual({ kind: "csv" });
    expect(ok(await files.exists("docs/raw.txt"))).toBe(true);
    expect((await files.exists("docs/nothing.txt")).data).toBe(false);
    expectStorageError(await files.download("docs/nothing.txt"), "404");
  });

  it("keeps names in any script, with spaces and punctuation", async () => {
    const files = storage.from(privateBucket);
    const name = "unicode/relevé de compte (T4) – ☃ 2026.pdf";
    ok(await files.upload(name, Buffer.from("%PDF"), { contentType: "application/pdf" }));
    expect((await bytesOf(await files.download(name))).toString()).toBe("%PDF");
    expect(ok(await files.list("unicode")).map((f) => f.name)).toEqual(["relevé de compte (T4) – ☃ 2026.pdf"]);
    const { signedUrl } = ok(await files.createSignedUrl(name, 60));
    expect(await (await fetch(signedUrl)).text()).toBe("%PDF");
  });

  it("refuses to overwrite without upsert (409), replaces with x-upsert, and updates in place", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("upsert/a.txt", "first", { contentType: "text/plain" }));
    expectStorageError(
      await files.upload("upsert/a.txt", "second", { contentType: "text/plain" }),
      "409",
      "The resource already exists",
    );
    expect((await bytesOf(await files.download("upsert/a.txt"))).toString()).toBe("first");
    ok(await files.upload("upsert/a.txt", "second", { contentType: "text/plain", upsert: true }));
    expect((await bytesOf(await files.download("upsert/a.txt"))).toString()).toBe("second");
    ok(await files.update("upsert/a.txt", "third", { contentType: "text/plain" }));
    expect((await bytesOf(await files.download("upsert/a.txt"))).toString()).toBe("third");
    expectStorageError(await files.update("upsert/none.txt", "x", { contentType: "text/plain" }), "404");
  });

  it("lists a folder: subfolders first, then files, with limit, offset, sortBy and search", async () => {
    const files = storage.from(privateBucket);
    for (const name of ["list/b.txt", "list/a.txt", "list/c.txt", "list/sub/deep.txt", "list/other/x.txt"]) {
      ok(await files.upload(name, name, { contentType: "text/plain" }));
    }
    const all = ok(await files.list("list"));
    expect(all.map((f) => f.name)).toEqual(["other", "sub", "a.txt", "b.txt", "c.txt"]);
    expect(all[0]!.id).toBeNull();
    expect(all[2]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(all[2]!.metadata).toMatchObject({ size: 10, mimetype: "text/plain" });

    const desc = ok(await files.list("list", { sortBy: { column: "name", order: "desc" } }));
    expect(desc.map((f) => f.name)).toEqual(["sub", "other", "c.txt", "b.txt", "a.txt"]);
    expect(ok(await files.list("list", { limit: 2, offset: 2 })).map((f) => f.name)).toEqual(["a.txt", "b.txt"]);
    expect(ok(await files.list("list", { search: "b" })).map((f) => f.name)).toEqual(["b.txt"]);
    expect(ok(await files.list("list/sub")).map((f) => f.name)).toEqual(["deep.txt"]);
    expect(ok(await files.list("list/nothing-here"))).toEqual([]);
  });

  it("moves and copies objects, within a bucket and into another", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("move/from.txt", "moving", { contentType: "text/plain" }));
    expect(ok(await files.move("move/from.txt", "move/to.txt"))).toEqual({ message: "Successfully moved" });
    expectStorageError(await files.download("move/from.txt"), "404");
    expect((await bytesOf(await files.download("move/to.txt"))).toString()).toBe("moving");

    expect(ok(await files.copy("move/to.txt", "move/copy.txt"))).toEqual({ path: `${privateBucket}/move/copy.txt` });
    expect((await bytesOf(await files.download("move/copy.txt"))).toString()).toBe("moving");
    expect((await bytesOf(await files.download("move/to.txt"))).toString()).toBe("moving");

    ok(await files.copy("move/copy.txt", "copied.txt", { destinationBucket: publicBucket }));
    expect((await bytesOf(await storage.from(publicBucket).download("copied.txt"))).toString()).toBe("moving");

    ok(await files.upload("move/taken.txt", "taken", { contentType: "text/plain" }));
    expectStorageError(await files.move("move/to.txt", "move/taken.txt"), "409", "The resource already exists");
    expectStorageError(await files.move("move/absent.txt", "move/elsewhere.txt"), "404");
  });

  it("removes objects and answers with what it removed", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("remove/1.txt", "1", { contentType: "text/plain" }));
    ok(await files.upload("remove/2.txt", "2", { contentType: "text/plain" }));
    const removed = ok(await files.remove(["remove/1.txt", "remove/2.txt", "remove/never.txt"]));
    expect(removed.map((o) => o.name).sort()).toEqual(["remove/1.txt", "remove/2.txt"]);
    expectStorageError(await files.download("remove/1.txt"), "404");
    expect(ok(await files.list("remove"))).toEqual([]);
  });
});

describe("signed and public URLs", () => {
  it("signs a download URL that works without any key and expires", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("signed/report.pdf", Buffer.from("%PDF-1.4 report"), { contentType: "application/pdf" }));
    const { signedUrl } = ok(await files.createSignedUrl("signed/report.pdf", 60));
    const res = await fetch(signedUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(await res.text()).toBe("%PDF-1.4 report");

    const asDownload = ok(await files.createSignedUrl("signed/report.pdf", 60, { download: "evidence.pdf" }));
    expect((await fetch(asDownload.signedUrl)).headers.get("content-disposition")).toMatch(/evidence\.pdf/);

    const token = new URL(signedUrl).searchParams.get("token")!;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(claims.url).toBe(`${privateBucket}/signed/report.pdf`);
    expect(claims.exp - claims.iat).toBe(60);

    const short = ok(await files.createSignedUrl("signed/report.pdf", 1));
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short.signedUrl);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ statusCode: "400", message: expect.stringMatching(/expired|exp/) });
  });

  it("refuses a signed URL whose token was altered or names another object", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("signed/a.txt", "a", { contentType: "text/plain" }));
    ok(await files.upload("signed/b.txt", "b", { contentType: "text/plain" }));
    const { signedUrl } = ok(await files.createSignedUrl("signed/a.txt", 60));
    const tampered = signedUrl.replace(/token=([^.]+)\.([^.]+)\./, (_m, h, b) => {
      const claims = JSON.parse(Buffer.from(b, "base64url").toString());
      return `token=${h}.${Buffer.from(JSON.stringify({ ...claims, url: `${privateBucket}/signed/b.txt` })).toString("base64url")}.`;
    });
    const forged = await fetch(tampered.replace("signed/a.txt", "signed/b.txt"));
    expect(forged.status).toBe(400);
    expect((await forged.json()).statusCode).toBe("400");
    const elsewhere = await fetch(signedUrl.replace("signed/a.txt", "signed/b.txt"));
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).not.toBe("b");
  });

  it("signs many URLs at once, saying which objects it could not sign", async () => {
    const files = storage.from(privateBucket);
    ok(await files.upload("many/1.txt", "one", { contentType: "text/plain" }));
    const signed = ok(await files.createSignedUrls(["many/1.txt", "many/missing.txt"], 60));
    expect(signed[0]).toMatchObject({ path: "many/1.txt", error: null });
    expect(await (await fetch(signed[0]!.signedUrl!)).text()).toBe("one");
    expect(signed[1]).toMatchObject({ path: "many/missing.txt", signedUrl: null });
    expect(signed[1]!.error).toBeTruthy();
    expectStorageError(await files.createSignedUrl("many/missing.txt", 60), "404");
  });

  it("signs an upload URL that uploads once, without upsert", async () => {
    const files = storage.from(privateBucket);
    const { token, path } = ok(await files.createSignedUploadUrl("signed-upload/evidence.txt"));
    expect(path).toBe("signed-upload/evidence.txt");
    const uploaded = ok(
      await anon()
        .storage.from(privateBucket)
        .uploadToSignedUrl(path, token, "uploaded", { contentType: "text/plain" }),
    );
    expect(uploaded).toMatchObject({ path, fullPath: `${privateBucket}/${path}` });
    expect((await bytesOf(await files.download(path))).toString()).toBe("uploaded");
    expectStorageError(
      await anon().storage.from(privateBucket).uploadToSignedUrl(path, token, "again", { contentType: "text/plain" }),
      "409",
      "The resource already exists",
    );
    // The token is for that one object.
    expect(
      (await anon().storage.from(privateBucket).uploadToSignedUrl("signed-upload/other.txt", token, "x")).error,
    ).toBeTruthy();
    const upsert = ok(await files.createSignedUploadUrl(path, { upsert: true }));
    ok(await anon().storage.from(privateBucket).uploadToSignedUrl(path, upsert.token, "replaced", { upsert: true }));
    expect((await bytesOf(await files.download(path))).toString()).toBe("replaced");
  });

  it("serves public buckets at their public URL, and never private ones", async () => {
    ok(await storage.from(publicBucket).upload("logo.txt", "public", { contentType: "text/plain" }));
    const { publicUrl } = storage.from(publicBucket).getPublicUrl("logo.txt").data;
    const res = await fetch(publicUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("public");

    ok(await storage.from(privateBucket).upload("hidden.txt", "hidden", { contentType: "text/plain" }));
    const hidden = await fetch(storage.from(privateBucket).getPublicUrl("hidden.txt").data.publicUrl);
    expect(hidden.status).toBe(400);
    expect(await hidden.text()).not.toContain("hidden\n");
  });
});

describe("row-level security on storage.objects", () => {
  let rlsBucket: string;
  let dropPolicies: () => Promise<void>;
  let alice: StorageUser;
  let bob: StorageUser;

  beforeAll(async () => {
    rlsBucket = await createTestBucket("rls");
    buckets.push(rlsBucket);
    dropPolicies = await createOwnFolderPolicies(rlsBucket);
    [alice, bob] = await Promise.all([storageUser(), storageUser()]);
  });

  afterAll(async () => {
    await dropPolicies();
  });

  it("lets a user work in their own folder, as the owner of what they upload", async () => {
    const files = alice.supabase.storage.from(rlsBucket);
    ok(await files.upload(`${alice.id}/mine.txt`, "alice's", { contentType: "text/plain" }));
    expect((await bytesOf(await files.download(`${alice.id}/mine.txt`))).toString()).toBe("alice's");
    expect(ok(await files.list(alice.id)).map((f) => f.name)).toEqual(["mine.txt"]);
    const { signedUrl } = ok(await files.createSignedUrl(`${alice.id}/mine.txt`, 60));
    expect(await (await fetch(signedUrl)).text()).toBe("alice's");
    ok(await files.upload(`${alice.id}/mine.txt`, "alice's again", { contentType: "text/plain", upsert: true }));
    ok(await files.move(`${alice.id}/mine.txt`, `${alice.id}/renamed.txt`));
    const [stored] = ok(await files.remove([`${alice.id}/renamed.txt`]));
    expect(stored!.owner).toBe(alice.id);
  });

  it("keeps another user's objects out of reach: no read, list, sign, overwrite, move or removal", async () => {
    const mine = alice.supabase.storage.from(rlsBucket);
    ok(await mine.upload(`${alice.id}/private.txt`, "secret", { contentType: "text/plain" }));
    const theirs = bob.supabase.storage.from(rlsBucket);

    expectStorageError(await theirs.download(`${alice.id}/private.txt`), "404");
    expect(ok(await theirs.list(alice.id))).toEqual([]);
    expectStorageError(await theirs.createSignedUrl(`${alice.id}/private.txt`, 60), "404");
    expectStorageError(
      await theirs.upload(`${alice.id}/planted.txt`, "planted", { contentType: "text/plain" }),
      "403",
      /row-level security/,
    );
    expectStorageError(
      await theirs.upload(`${alice.id}/private.txt`, "overwritten", { contentType: "text/plain", upsert: true }),
      "403",
    );
    expectStorageError(await theirs.update(`${alice.id}/private.txt`, "updated", { contentType: "text/plain" }), "404");
    expectStorageError(await theirs.move(`${alice.id}/private.txt`, `${bob.id}/stolen.txt`), "404");
    expectStorageError(await theirs.copy(`${alice.id}/private.txt`, `${bob.id}/stolen.txt`), "404");
    expect(ok(await theirs.remove([`${alice.id}/private.txt`]))).toEqual([]);
    expectStorageError(await theirs.createSignedUploadUrl(`${alice.id}/private.txt`, { upsert: true }), "403");

    expect((await bytesOf(await mine.download(`${alice.id}/private.txt`))).toString()).toBe("secret");
    expect(ok(await mine.list(alice.id)).map((f) => f.name)).toEqual(["private.txt"]);
    expectStorageError(await anon().storage.from(rlsBucket).download(`${alice.id}/private.txt`), "404");
  });
});
