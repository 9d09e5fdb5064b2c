import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";

/** A row of the llm_usage view: totals computed by the database for one level of grouping. */
export interface UsageTotals {
  level: "total" | "cycle" | "cycle_report" | "phase";
  test_cycle_id: number | null;
  cycle_name: string | null;
  cycle_report_id: number | null;
  report_name: string | null;
  phase_name: string | null;
  calls: number;
  completed_calls: number;
  failed_calls: number;
  pending_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  duration_ms: number;
}

export interface InteractionRow {
  id: string;
  created_at: string;
  purpose: string;
  status: "pending" | "completed" | "failed";
  provider: string;
  model: string;
  attempt: number;
  duration_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  failure_reason: string | null;
  http_status: number | null;
  error: string | null;
  cycle_reports: { reports: { name: string } | null; test_cycles: { name: string } | null } | null;
  workflow_phases: { phase_name: string } | null;
}

export const PAGE_SIZE = 50;

// The usage view and the accounting columns are newer than the generated client types: read them untyped and
// describe the rows here.
const untyped = (supabase: SupabaseClient<Database>) => supabase as unknown as SupabaseClient;

/** Totals per cycle, cycle report and phase (aggregated by the database), over what the user may read. */
export async function loadUsageTotals(supabase: SupabaseClient<Database>): Promise<UsageTotals[]> {
  const { data, error } = await untyped(supabase)
    .from("llm_usage")
    .select("*")
    .order("cycle_name", { nullsFirst: false })
    .order("report_name", { nullsFirst: true })
    .order("phase_name", { nullsFirst: true })
    .returns<UsageTotals[]>();
  if (error) throw new Error(`usage query failed: ${error.message}`);
  return data.map((row) => ({ ...row, cost_usd: Number(row.cost_usd) }));
}

/** One page of interactions, newest first, with the total count. */
export async function loadInteractions(
  supabase: SupabaseClient<Database>,
  page: number,
): Promise<{ rows: InteractionRow[]; total: number }> {
  const from = (page - 1) * PAGE_SIZE;
  const { data, error, count } = await untyped(supabase)
    .from("llm_interactions")
    .select(
      `id, created_at, purpose, status, provider, model, attempt, duration_ms, input_tokens, output_tokens, cost_usd,
       failure_reason, http_status, error, cycle_reports(reports(name), test_cycles(name)), workflow_phases(phase_name)`,
      { count: "exact" },
    )
    .order("created_at", { ascending: false })
    .order("id")
    .range(from, from + PAGE_SIZE - 1)
    .returns<InteractionRow[]>();
  if (error) throw new Error(`interactions query failed: ${error.message}`);
  return {
    rows: data.map((r) => ({ ...r, cost_usd: r.cost_usd === null ? null : Number(r.cost_usd) })),
    total: count ?? 0,
  };
}
