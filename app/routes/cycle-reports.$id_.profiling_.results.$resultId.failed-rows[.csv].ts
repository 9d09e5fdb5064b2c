import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { failedRowsDownload } from "~/lib/failed-rows.server";
import { cycleReportIdOf } from "~/lib/route-params";

/** Every failing row of one result as CSV, streamed from the profiling function (masked columns masked). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const resultId = /^[1-9][0-9]{0,17}$/.test(params.resultId ?? "") ? params.resultId! : null;
  const { supabase, headers } = await requireUser(request);
  if (!resultId) throw new Response("Not found", { status: 404, headers });
  return await failedRowsDownload(supabase, id, resultId, request.signal, headers, context);
}
