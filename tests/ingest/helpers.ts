import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** A connection to the test database as postgres, as the edge functions have. */
export function connect(): postgres.Sql {
  const url = process.env.SUPABASE_DB_URL;
  if (!url) throw new Error("SUPABASE_DB_URL is not set; source the devstack env file first");
  return postgres(url, { max: 3, onnotice: () => undefined });
}

/** A table name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
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
