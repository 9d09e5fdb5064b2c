import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { readAll } from "./read-all.server";

type UsageRow = Database["public"]["Views"]["llm_usage"]["Row"];

const levels = ["total", "cycle", "cycle_report", "phase"] as const;
export type UsageLevel = (typeof levels)[number];
const knownLevels: ReadonlySet<string | null> = new Set(levels);
const isLevel = (value: string | null): value is UsageLevel => knownLevels.has(value);

/**
 * A row of the llm_usage view: totals computed by the database for one level of grouping. The view's counts
 * and sums are never null (it coalesces them), though a view's columns are all typed nullable.
 */
export interface UsageTotals extends Pick<
  UsageRow,
  "test_cycle_id" | "cycle_name" | "cycle_report_id" | "report_name" | "phase_name"
> {
  level: UsageLevel;
  calls: number;
  completed_calls: number;
  failed_calls: number;
  pending_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  duration_ms: number;
}

type InteractionColumns = Database["public"]["Tables"]["llm_interactions"]["Row"];

export interface InteractionRow extends Pick<
  InteractionColumns,
  | "id"
  | "created_at"
  | "purpose"
  | "status"
  | "provider"
  | "model"
  | "attempt"
  | "duration_ms"
  | "input_tokens"
  | "output_tokens"
  | "cost_usd"
  | "failure_reason"
  | "http_status"
  | "error"
> {
  cycle_reports: { reports: { name: string } | null; test_cycles: { name: string } | null } | null;
  workflow_phases: { phase_name: string } | null;
}

export const PAGE_SIZE = 50;

const interactionSelect = `id, created_at, purpose, status, provider, model, attempt, duration_ms, input_tokens,
  output_tokens, cost_usd, failure_reason, http_status, error, cycle_reports(reports(name), test_cycles(name)),
  workflow_phases(phase_name)`;

/** Totals per cycle, cycle report and phase (aggregated by the database), over what the user may read. */
export async function loadUsageTotals(supabase: SupabaseClient<Database>): Promise<UsageTotals[]> {
  // Names repeat across cycles and reports, so the ids and the level complete a unique order for paging.
  const data = await readAll("usage query", (from, to) =>
    supabase
      .from("llm_usage")
      .select("*")
      .order("cycle_name", { nullsFirst: false })
      .order("test_cycle_id", { nullsFirst: true })
      .order("report_name", { nullsFirst: true })
      .order("cycle_report_id", { nullsFirst: true })
      .order("phase_name", { nullsFirst: true })
      .order("level")
      .range(from, to),
  );
  return data.flatMap(({ level, test_cycle_id, cycle_name, cycle_report_id, report_name, phase_name, ...sums }) =>
    isLevel(level)
      ? [
          {
            level,
            test_cycle_id,
            cycle_name,
            cycle_report_id,
            report_name,
            phase_name,
            calls: sums.calls ?? 0,
            completed_calls: sums.completed_calls ?? 0,
            failed_calls: sums.failed_calls ?? 0,
            pending_calls: sums.pending_calls ?? 0,
            input_tokens: sums.input_tokens ?? 0,
            output_tokens: sums.output_tokens ?? 0,
            cost_usd: sums.cost_usd ?? 0,
            duration_ms: sums.duration_ms ?? 0,
          },
        ]
      : [],
  );
}

/** One page of interactions, newest first, with the total count. */
export async function loadInteractions(
  supabase: SupabaseClient<Database>,
  page: number,
): Promise<{ rows: InteractionRow[]; total: number }> {
  const from = (page - 1) * PAGE_SIZE;
  const { data, error, count } = await supabase
    .from("llm_interactions")
    .select(interactionSelect, { count: "exact" })
    .order("created_at", { ascending: false })
    .order("id")
    .range(from, from + PAGE_SIZE - 1);
  if (error) throw new Error(`interactions query failed: ${error.message}`);
  return {
    rows: data,
    total: count ?? 0,
  };
}

/** Phase names as people read them (phase_definitions.display_name), e.g. data_profiling → "Data profiling". */
export async function loadPhaseLabels(supabase: SupabaseClient<Database>): Promise<Record<string, string>> {
  const { data, error } = await supabase.from("phase_definitions").select("name, display_name");
  if (error) throw new Error(`phase definitions: ${error.message}`);
  return Object.fromEntries((data ?? []).map((p) => [p.name, p.display_name]));
}
