import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { resultsCsv } from "~/lib/profiling-csv.server";
import { getRunProgress, listResults } from "~/lib/profiling.server";
import { cycleReportIdOf, uuidParamOf } from "~/lib/route-params";

/** A run's results as a CSV download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const runId = uuidParamOf(params.runId);
  const { supabase, headers } = await requireUser(request);
  // The run must belong to this cycle report, so the address cannot be used to reach another's results.
  if (!(await getRunProgress(supabase, id, runId))) throw new Response("Not found", { status: 404, headers });
  const csv = resultsCsv(await listResults(supabase, runId));
  headers.set("Content-Type", "text/csv; charset=utf-8");
  headers.set("Content-Disposition", `attachment; filename="profiling-results-${runId}.csv"`);
  return new Response(csv, { headers });
}
