import { afterAll, describe, expect, it } from "vitest";
import { adminSql, reloadSchema, serviceClient } from "./fixtures/rest-env.ts";

const sql = adminSql();
const notifier = adminSql();
const db = serviceClient();
const tables = Array.from({ length: 8 }, (_, i) => `conf_cache_t${i}`);

afterAll(async () => {
  await sql.unsafe(`drop table if exists ${tables.join(", ")}`);
  await Promise.all([sql.end(), notifier.end()]);
});

describe("schema cache", () => {
  it("never loses a table it has shown while reloads overlap", async () => {
    await sql.unsafe(`drop table if exists ${tables.join(", ")}`);
    let storming = true;
    // Reload requests keep arriving before, during and after each DDL commit.
    const storm = (async () => {
      while (storming) {
        await Promise.all(Array.from({ length: 5 }, () => notifier`notify pgrst, 'reload schema'`));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    try {
      for (const table of tables) {
        await sql.unsafe(`create table ${table} (id int primary key)`);
        await reloadSchema(sql, () => db.from(table).select("id").limit(1));
        const statuses = [];
        for (let i = 0; i < 15; i++) statuses.push((await db.from(table).select("id").limit(1)).status);
        expect(statuses, table).toEqual(Array(15).fill(200));
      }
    } finally {
      storming = false;
      await storm;
    }
  });
});
