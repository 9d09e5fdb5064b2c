// Hostile uploads and requests through storage-js: oversized and mistyped files, names that read as paths
// out of their folder, malformed options. Each is refused with Storage's error body, never a 5xx, and
// leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDevstack } from "./fixtures/own-gateway.ts";
import {
  bytesOf,
  createTestBucket,
  dropTestBucket,
  expectStorageError,
  ok,
  serviceStorage,
} from "./fixtures/storage.ts";

const storage = serviceStorage();
let limited: string;
let open: string;

beforeAll(async () => {
  limited = await createTestBucket("limited", {
    public: false,
    fileSizeLimit: 1024,
    allowedMimeTypes: ["text/plain", "image/*"],
  });
  open = await createTestBucket("open");
});

afterAll(async () => {
  await dropTestBucket(limited);
  await dropTestBucket(open);
});

/** Storage refuses the request (any 4xx status in the body) and nothing is stored under `name`. */
async function refusedAndAbsent(result: { data: unknown; error: unknown }, bucket: string, name: string) {
  expect(result.error, JSON.stringify(result.data)).toBeTruthy();
  const error = result.error as { status?: number; statusCode?: string };
  expect(Number(error.statusCode)).toBeGreaterThanOrEqual(400);
  expect(Number(error.statusCode)).toBeLessThan(500);
  expect(error.status ?? 0).toBeLessThan(500);
  expect((await storage.from(bucket).exists(name)).data).toBe(false);
}

describe("bucket limits", () => {
  it("refuses a file over the bucket's file_size_limit with 413, raw or as a form, and stores nothing", async () => {
    const files = storage.from(limited);
    ok(await files.upload("fits.txt", Buffer.alloc(1024, "a"), { contentType: "text/plain" }));
    const raw = await files.upload("too-big.txt", Buffer.alloc(1025, "a"), { contentType: "text/plain" });
    expectStorageError(raw, "413", "The object exceeded the maximum allowed size");
    const form = await files.upload("too-big-form.txt", new Blob([Buffer.alloc(4096, "a")], { type: "text/plain" }));
    expectStorageError(form, "413");
    const large = await files.upload("large.txt", Buffer.alloc(3 * 1024 * 1024, "a"), { contentType: "text/plain" });
    expectStorageError(large, "413");
    for (const name of ["too-big.txt", "too-big-form.txt", "large.txt"]) {
      expect((await files.exists(name)).data).toBe(false);
    }
    expectStorageError(
      await files.upload("fits.txt", Buffer.alloc(2048, "b"), { contentType: "text/plain", upsert: true }),
      "413",
    );
    expect((await bytesOf(await files.download("fits.txt"))).toString()).toBe("a".repeat(1024));
  });

  it("refuses a type the bucket does not allow with 415, raw or as a form", async () => {
    const files = storage.from(limited);
    ok(await files.upload("pic.png", Buffer.from("png"), { contentType: "image/png" }));
    expectStorageError(
      await files.upload("doc.pdf", Buffer.from("%PDF"), { contentType: "application/pdf" }),
      "415",
      "mime type application/pdf is not supported",
    );
    expectStorageError(await files.upload("page.html", new Blob(["<script>"], { type: "text/html" })), "415");
    expect((await files.exists("doc.pdf")).data).toBe(false);
    expect((await files.exists("page.html")).data).toBe(false);
  });

  it("refuses a bucket limit that cannot be read", async () => {
    expectStorageError(await storage.createBucket(`${limited}-x`, { public: false, fileSizeLimit: "lots" }), "400");
    expectStorageError(await storage.updateBucket(limited, { public: false, allowedMimeTypes: ["not a type"] }), "400");
    expect(ok(await storage.getBucket(limited)).allowed_mime_types).toEqual(["text/plain", "image/*"]);
  });
});

describe("object names", () => {
  it("never lets an upload name climb out of its folder", async () => {
    const files = storage.from(open);
    ok(await files.upload("inside/keep.txt", "keep", { contentType: "text/plain" }));
    // URL parsing folds `..` before the request leaves storage-js; whatever arrives must be refused.
    for (const name of ["../escape.txt", "inside/../../escape.txt", "%2e%2e/escape.txt"]) {
      const result = await files.upload(name, "x", { contentType: "text/plain" });
      expect(result.error, name).toBeTruthy();
      expect((result.error as { status?: number }).status ?? 0, name).toBeLessThan(500);
    }
    expect(ok(await files.list("")).some((f) => f.name.includes("escape"))).toBe(false);
    expect(ok(await files.list("inside")).map((f) => f.name)).toEqual(["keep.txt"]);
    expect(ok(await storage.from(limited).list("")).some((f) => f.name.includes("escape"))).toBe(false);
  });

  it("refuses names with traversal, absolute, empty or control-character parts in moves, copies and signatures", async () => {
    const files = storage.from(open);
    ok(await files.upload("names/source.txt", "source", { contentType: "text/plain" }));
    const hostile = [
      "../../etc/passwd",
      "names/../../outside.txt",
      "/etc/passwd",
      "names//double.txt",
      "names/./dot.txt",
      "names/bell\u0007.txt",
      "names/new\nline.txt",
      "names/nul\u0000.txt",
      "names/back\\slash.txt",
      "names/zero\u200bwidth.txt",
      "names/override\u202etxt.exe",
      "names/percent%41.txt",
    ];
    for (const name of hostile) {
      const moved = await files.move("names/source.txt", name);
      const copied = await files.copy("names/source.txt", name);
      if (onDevstack) {
        expectStorageError(moved, "400");
        expectStorageError(copied, "400");
      } else {
        // Hosted Storage keeps S3's opaque keys: a name it accepts stays a name inside the bucket.
        for (const r of [moved, copied]) if (r.error) expect((r.error as { status?: number }).status).toBeLessThan(500);
      }
    }
    if (onDevstack) {
      expectStorageError(await files.createSignedUploadUrl("names/soh\u0001.txt"), "400", /^Invalid key/);
    }
    const [signed] = ok(await files.createSignedUrls(["names/../names/source.txt"], 60));
    expect(signed!.signedUrl).toBeNull();
    expect((await bytesOf(await files.download("names/source.txt"))).toString()).toBe("source");
    expect(ok(await files.list("names")).map((f) => f.name)).toEqual(["source.txt"]);
  });

  it("answers an upload under a name with forbidden characters with 400 and stores nothing", async () => {
    const files = storage.from(open);
    for (const name of ["ctl/bell\u0007.txt", 'ctl/quote".txt', "ctl/angle<.txt"]) {
      const result = await files.upload(name, "x", { contentType: "text/plain" });
      expectStorageError(result, "400");
      await refusedAndAbsent(result, open, name);
    }
    expect(ok(await files.list("ctl"))).toEqual([]);
  });
});

describe("malformed options", () => {
  it("refuses list options outside Storage's schema, and bad signature lifetimes, with 400", async () => {
    const files = storage.from(open);
    expectStorageError(await files.list("", { limit: -1 }), "400");
    expectStorageError(await files.list("", { offset: -5 }), "400");
    expectStorageError(
      await files.list("", { sortBy: { column: "name; drop table storage.objects", order: "asc" } }),
      "400",
    );
    expectStorageError(await files.list("", { sortBy: { column: "name", order: "sideways" } }), "400");
    ok(await files.upload("sig/a.txt", "a", { contentType: "text/plain" }));
    expectStorageError(await files.createSignedUrl("sig/a.txt", 0), "400");
    expectStorageError(await files.createSignedUrl("sig/a.txt", 1.5), "400");
    expectStorageError(await files.createSignedUrls([], 60), "400");
    expect(ok(await files.list("", { search: "%_\\" }))).toEqual([]);
  });

  it("refuses metadata that is not a JSON object", async () => {
    const files = storage.from(open);
    const result = await files.upload("meta/a.txt", "a", {
      contentType: "text/plain",
      headers: { "x-metadata": Buffer.from("[1, 2").toString("base64") },
    });
    if (onDevstack) expectStorageError(result, "400");
    else if (result.error) expect((result.error as { status?: number }).status).toBeLessThan(500);
  });

  it("answers routes it does not serve with a Storage error body instead of ignoring them", async () => {
    const files = storage.from(open);
    ok(await files.upload("img/a.png", Buffer.from("png"), { contentType: "image/png" }));
    const transformed = await files.createSignedUrl("img/a.png", 60, { transform: { width: 10 } });
    if (onDevstack) {
      const error = transformed.error as { status?: number; statusCode?: string; message: string };
      expect(error).toMatchObject({ status: 501, statusCode: "501" });
      expect(error.message).toMatch(/not implemented/);
    }
  });
});
