import { afterAll, afterEach, describe, expect, it } from "vitest";
import { IngestError, ingestCsv, uploadMaxBytes } from "../../supabase/functions/_shared/ingest/ingest.ts";
import { connect, dropTables, sourceRelations, streamOf, uniqueName } from "./helpers.ts";

const sql = connect();
afterAll(async () => {
  await dropTables(sql);
  await sql.end();
});

const PREFIX = "bad_";

/** Ingests `content`, expecting a refusal; checks that nothing was left behind in source_data. */
async function refusal(
  content: string | Uint8Array,
  options: { chunkSize?: number; maxBytes?: number } = {},
): Promise<ReturnType<IngestError["toJSON"]>> {
  const tableName = uniqueName(PREFIX);
  const error = await ingestCsv({
    sql,
    stream: streamOf(content, options.chunkSize),
    tableName,
    maxBytes: options.maxBytes,
  }).then(
    () => {
      throw new Error("the file was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect(await sourceRelations(sql, tableName)).toEqual([]);
  const [type] = await sql`select count(*)::int as n from pg_type where typname = ${tableName}`;
  expect(type?.n).toBe(0);
  return (error as IngestError).toJSON();
}

function rows(count: number, fields = 4): string[] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: fields }, (_, f) => `${i}${f}`).join(","));
}

afterEach(async () => {
  // Every refusal rolled back: no table with this file's prefix remains, and the pool still works.
  expect(await sourceRelations(sql, PREFIX)).toEqual([]);
  expect((await sql`select 1 as ok`)[0]?.ok).toBe(1);
});

describe("refusing a malformed CSV, leaving nothing behind", () => {
  it("a row with too many or too few fields names its line", async () => {
    const csv = ["a,b,c,d", ...rows(40), "1,2,3,4,5", ...rows(5)].join("\n");
    const error = await refusal(csv);
    expect(error).toMatchObject({ code: "ragged_row", line: 42, message: "Line 42 has 5 fields; the header has 4." });

    const short = await refusal(["a,b,c,d", "1,2,3,4", '"multi', 'line",2,3,4', "", "only one"].join("\n"));
    expect(short).toMatchObject({ code: "ragged_row", line: 6, message: "Line 6 has 1 field; the header has 4." });
  });

  it("a ragged row deep in a large file, after COPY has begun, rolls everything back", async () => {
    const csv = ["a,b,c,d", ...rows(30_000), "x,y", ...rows(10)].join("\n");
    expect(await refusal(csv)).toMatchObject({ code: "ragged_row", line: 30_002 });
  });

  it("a quote that is never closed names the line it opens on", async () => {
    const csv = ["id,note", "1,fine", '2,"starts here', "3,and never", "4,closes"].join("\n");
    expect(await refusal(csv)).toMatchObject({
      code: "unterminated_quote",
      line: 3,
      message: "Line 3 opens a quoted field that is never closed.",
    });
  });

  it("an unclosed quote in a large file is refused once the field passes 1 MB, not buffered to the end", async () => {
    const csv = ["id,note", "1,fine", '2,"starts here', ...rows(200_000, 2)].join("\n");
    const error = await refusal(csv);
    expect(error).toMatchObject({ code: "unterminated_quote", line: 3 });
    expect(error.message).toMatch(/^Line 3 opens a quoted field that does not close within 1 MB/);
  });

  it("stray quotes name their line", async () => {
    expect(await refusal('id,note\n1,ok\n2,"quoted"then more\n')).toMatchObject({ code: "bad_quote", line: 3 });
    expect(await refusal('id,note\n1,ok\n2,ok\n3,five foot 11"\n')).toMatchObject({ code: "bad_quote", line: 4 });
  });

  it("a file that is not UTF-8 names the line and byte offset", async () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode("id,name\n1,ok\n2,caf"),
      0xe9,
      ...new TextEncoder().encode(",x\n"),
    ]);
    const error = await refusal(latin1, { chunkSize: 3 });
    expect(error).toMatchObject({ code: "bad_encoding", line: 3, byteOffset: 18 });
    expect(error.message).toBe(
      "Line 3 has a byte (0xE9) that is not valid UTF-8 at byte offset 18; save the file as UTF-8 (in Excel: CSV UTF-8).",
    );

    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...Array.from(new TextEncoder().encode("id\n1\n")).flatMap((b) => [b, 0]),
    ]);
    expect(await refusal(utf16)).toMatchObject({
      code: "bad_encoding",
      line: 1,
      message: expect.stringMatching(/UTF-16/),
    });

    const nul = new TextEncoder().encode("id,name\n1,a\u0000b\n");
    expect(await refusal(nul)).toMatchObject({
      code: "bad_encoding",
      line: 2,
      message: expect.stringMatching(/NUL byte/),
    });

    const truncated = new Uint8Array([...new TextEncoder().encode("id,name\n1,"), 0xe2, 0x82]);
    expect(await refusal(truncated)).toMatchObject({ code: "bad_encoding", line: 2, byteOffset: 10 });

    const overlong = new Uint8Array([...new TextEncoder().encode("id\n"), 0xc0, 0xaf, 0x0a]);
    expect(await refusal(overlong)).toMatchObject({ code: "bad_encoding", line: 2, byteOffset: 3 });
  });

  it("an empty file, a file of blank lines and a header without rows", async () => {
    expect(await refusal("")).toMatchObject({ code: "empty_file", message: "The file is empty." });
    expect(await refusal("\uFEFF\r\n\r\n")).toMatchObject({ code: "empty_file" });
    expect(await refusal("\n\n")).toMatchObject({ code: "empty_file" });
    expect(await refusal("id,name\n")).toMatchObject({
      code: "no_rows",
      message: "The file has a header row but no data rows.",
    });
  });

  it("bad headers", async () => {
    expect(await refusal("id,,name\n1,2,3\n")).toMatchObject({
      code: "bad_header",
      line: 1,
      message: "Column 2 of the header (line 1) has no name.",
    });
    expect(await refusal("id,Name,name\n1,2,3\n")).toMatchObject({
      code: "bad_header",
      message: expect.stringMatching(/both named/),
    });
    expect(await refusal(`id,${"n".repeat(70)}\n1,2\n`)).toMatchObject({
      code: "bad_header",
      message: expect.stringMatching(/70 characters/),
    });
  });
});

describe("the size limit", () => {
  it("refuses a file over the limit as soon as the limit is passed, and stops reading the upload", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(pulled === 1 ? "id,value\n" : `${pulled},${"x".repeat(1000)}\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const tableName = uniqueName(PREFIX);
    const error = await ingestCsv({ sql, stream: endless, tableName, maxBytes: 100_000 }).catch((e: IngestError) =>
      e.toJSON(),
    );
    expect(error).toMatchObject({ code: "too_large", message: "The file is larger than the 0.1 MB limit." });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(150);
    expect(await sourceRelations(sql, tableName)).toEqual([]);
  });

  it("is 50 MB by default and configurable with UPLOAD_MAX_BYTES", async () => {
    const saved = process.env.UPLOAD_MAX_BYTES;
    try {
      delete process.env.UPLOAD_MAX_BYTES;
      expect(uploadMaxBytes()).toBe(50 * 1024 * 1024);
      process.env.UPLOAD_MAX_BYTES = "20";
      expect(await refusal("id,name\n1,a long enough name\n")).toMatchObject({
        code: "too_large",
        message: expect.stringMatching(/limit/),
      });
      process.env.UPLOAD_MAX_BYTES = "lots";
      expect(() => uploadMaxBytes()).toThrow(/UPLOAD_MAX_BYTES must be a positive whole number/);
    } finally {
      if (saved === undefined) delete process.env.UPLOAD_MAX_BYTES;
      else process.env.UPLOAD_MAX_BYTES = saved;
    }
  });
});

describe("the target table", () => {
  it("is never overwritten", async () => {
    const tableName = uniqueName("kept");
    await ingestCsv({ sql, stream: streamOf("id\n1\n2\n"), tableName });
    const error = await ingestCsv({ sql, stream: streamOf("other\nx\n"), tableName }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "table_exists" });
    const kept = await sql.unsafe(`select id from source_data.${tableName} order by id`);
    expect(kept.map((r) => r.id)).toEqual([1, 2]);
  });

  it("must have a safe name", async () => {
    const error = await ingestCsv({ sql, stream: streamOf("id\n1\n"), tableName: 'x"; drop table y; --' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "bad_table_name" });
  });
});
