import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { buildCycleView, type CycleView } from "./cycle-view";
import { readAll } from "./read-all.server";

/**
 * The cycle view of the signed-in user: public.cycle_report_overview read through their own client, so its
 * rows are the cycle reports row-level security lets them read (an owner's reports, every one for an admin).
 */
export async function loadCycleView(supabase: SupabaseClient<Database>, search: URLSearchParams): Promise<CycleView> {
  const rows = await readAll("cycle view query", (from, to) =>
    supabase.from("cycle_report_overview").select("*").order("cycle_report_id").range(from, to),
  );
  return buildCycleView(rows, search);
}
