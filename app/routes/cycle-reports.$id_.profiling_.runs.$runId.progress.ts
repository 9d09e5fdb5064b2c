import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { getRunProgress } from "~/lib/profiling.server";
import { cycleReportIdOf, uuidParamOf } from "~/lib/route-params";

/** A run's status and progress, polled by the workspace's progress bar; read from background_jobs as the user. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const runId = uuidParamOf(params.runId);
  const { supabase, headers } = await requireUser(request);
  const run = await getRunProgress(supabase, id, runId);
  if (!run) throw new Response("Not found", { status: 404, headers });
  return json(run, { headers });
}
