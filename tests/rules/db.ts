// Test database access: SUPABASE_DB_URL (the devstack or any Supabase database) and throwaway tables.
import postgres from "postgres";
import type { CompiledPlan } from "../../supabase/functions/_shared/rules/compile.ts";
import { executePlan, type ExecuteOptions, type RuleResult } from "../../supabase/functions/_shared/rules/execute.ts";
import { quoteTable } from "../../supabase/functions/_shared/rules/sql-text.ts";

export function connect(): postgres.Sql {
  const url = process.env.SUPABASE_DB_URL;
  if (!url) throw new Error("SUPABASE_DB_URL is not set; start the devstack and source its env file");
  return postgres(url, { max: 4, onnotice: () => {} });
}

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
