import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { getGenerationProgress } from "~/lib/profiling.server";
import { cycleReportIdOf, uuidParamOf } from "~/lib/route-params";

/** A rule-generation job's status and progress, polled by the workspace's progress bar. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  cycleReportIdOf(params.id);
  const jobId = uuidParamOf(params.jobId);
  const { supabase, headers } = await requireUser(request);
  const job = await getGenerationProgress(supabase, jobId);
  if (!job) throw new Response("Not found", { status: 404, headers });
  return json(job, { headers });
}
