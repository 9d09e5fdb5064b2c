// Test database access: SUPABASE_DB_URL (the devstack or any Supabase database) and throwaway tables.
import postgres from "postgres";

export function connect(): postgres.Sql {
  const url = process.env.SUPABASE_DB_URL;
  if (!url) throw new Error("SUPABASE_DB_URL is not set; start the devstack and source its env file");
  return postgres(url, { max: 4, onnotice: () => {} });
}

/** A unique table name in source_data for one test file. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
