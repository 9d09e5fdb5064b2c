import postgres from "postgres";
import { requireEnv } from "./env.ts";

let pool: postgres.Sql | undefined;

/** The functions' connection pool to the project database (SUPABASE_DB_URL, as on hosted Supabase). */
export function database(): postgres.Sql {
  pool ??= postgres(requireEnv("SUPABASE_DB_URL"), { max: 5, idle_timeout: 30, connect_timeout: 5 });
  return pool;
}

export interface DatabaseHealth {
  reachable: boolean;
  latencyMs?: number;
  error?: string;
}

/** Asks the database one trivial question, within a time limit. */
export async function checkDatabase(sql: postgres.Sql = database(), timeoutMs = 3000): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    await Promise.race([
      sql`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    return { reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}
