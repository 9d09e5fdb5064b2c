import { afterAll, expect, it } from "vitest";
import { ingestCsv } from "../../supabase/functions/_shared/ingest/ingest.ts";
import { connect, dropTables, uniqueName } from "./helpers.ts";

const sql = connect();
afterAll(async () => {
  await dropTables(sql);
  await sql.end();
});

const ROWS = 200_000;
const ROWS_PER_CHUNK = 500;

/** A generated file, produced on demand chunk by chunk as the reader pulls: never whole in memory. */
function generatedFile(produced: { rows: number }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode("id,account,amount,booked_on,status,comment\n"));
      },
      pull(controller) {
        if (produced.rows >= ROWS) return controller.close();
        let chunk = "";
        for (let i = 0; i < ROWS_PER_CHUNK; i++) {
          const id = ++produced.rows;
          const day = String((id % 28) + 1).padStart(2, "0");
          chunk += `${id},ACC${String(id % 9973).padStart(6, "0")},${(id * 1.37).toFixed(2)},2024-03-${day},${id % 3 ? "open" : "closed"},"row ${id}, quoted"\n`;
        }
        controller.enqueue(encoder.encode(chunk));
      },
    },
    { highWaterMark: 0 },
  );
}

it(
  `streams a ${ROWS.toLocaleString("en")}-row file into a typed table, reading only slightly ahead of the load`,
  { timeout: 120_000 },
  async () => {
    const produced = { rows: 0 };
    let furthestAhead = 0;
    const schema = await ingestCsv({
      sql,
      stream: generatedFile(produced),
      tableName: uniqueName("large"),
      onProgress: ({ stage, rows }) => {
        if (stage === "loading") furthestAhead = Math.max(furthestAhead, produced.rows - rows);
      },
    });
    expect(schema.rowCount).toBe(ROWS);
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "integer"],
      ["account", "text"],
      ["amount", "numeric"],
      ["booked_on", "date"],
      ["status", "text"],
      ["comment", "text"],
    ]);
    expect(schema.columns[0]).toMatchObject({ min: "1", max: String(ROWS), distinctCount: ROWS, nullCount: 0 });
    expect(schema.columns[1]?.distinctCount).toBe(9973);
    expect(schema.columns[3]).toMatchObject({ min: "2024-03-01", max: "2024-03-28", distinctCount: 28 });
    // Had the upload been buffered before loading, the producer would have run the whole file ahead.
    expect(furthestAhead).toBeLessThan(ROWS / 4);
  },
);
