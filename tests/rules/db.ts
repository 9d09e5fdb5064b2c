// Test database access: SUPABASE_DB_URL (the devstack or any Supabase database) and throwaway tables.

export { connect } from "../support/db.ts";

/** A unique table name in source_data for one test file. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
