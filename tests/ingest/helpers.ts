import { randomBytes } from "node:crypto";
import postgres from "postgres";

import { connect as connectAs } from "../support/db.ts";

/** A connection to the test database as postgres, as the edge functions have. */
export const connect = () => connectAs(3);

const created: string[] = [];

/** A table name no other test uses; dropTables removes whatever was loaded under it. */
export function uniqueName(prefix: string): string {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  created.push(name);
  return name;
}

/** Drops the tables this test file loaded into source_data. */
export async function dropTables(sql: postgres.Sql): Promise<void> {
  for (const name of created.splice(0)) await sql.unsafe(`drop table if exists source_data."${name}"`);
}

/** A byte stream delivering `content` in chunks of `chunkSize` bytes (small sizes split characters and lines). */
export function streamOf(content: string | Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** The relations in source_data whose names start with `prefix`. */
export async function sourceRelations(sql: postgres.Sql, prefix: string): Promise<string[]> {
  const rows = await sql<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'source_data' and c.relname like ${`${prefix}%`} order by 1`;
  return rows.map((r) => r.relname);
}
