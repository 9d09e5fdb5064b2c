// Test database access: SUPABASE_DB_URL (the devstack or any Supabase database) and throwaway tables.
import type postgres from "postgres";
import type { CompiledPlan } from "../../supabase/functions/_shared/rules/compile.ts";
import { executePlan, type ExecuteOptions, type RuleResult } from "../../supabase/functions/_shared/rules/execute.ts";
import { quoteTable } from "../../supabase/functions/_shared/rules/sql-text.ts";

export { connect } from "../support/db.ts";

/** A unique table name in source_data for one test file. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs a plan as the worker does on the project database: as rule_executor (unless options say otherwise),
 * presenting a rule-execution token for the plan's table, issued here by the operator.
 */
export async function executeAsWorker(
  sql: postgres.Sql,
  plan: CompiledPlan,
  options: ExecuteOptions = {},
): Promise<RuleResult[]> {
  const [row] = await sql<{ token: string }[]>`
    select private.open_rule_execution(null, array[${quoteTable(plan.options.schema, plan.options.table)}]::text[]) as token`;
  return await executePlan(sql, plan, { executionToken: row!.token, ...options });
}
