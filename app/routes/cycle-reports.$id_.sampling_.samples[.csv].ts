import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { samplesCsv } from "~/lib/sampling-csv.server";
import { loadSamplingWorkspace } from "~/lib/sampling.server";
import { cycleReportIdOf } from "~/lib/route-params";

/** A version's samples with their lineage and decisions, and how they were drawn, as a CSV download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const workspace = await loadSamplingWorkspace(supabase, user, id, new URL(request.url).searchParams);
  if (!workspace?.version) throw new Response("Not found", { status: 404, headers });
  const { version, selection, samples, reperformances } = workspace;
  headers.set("Content-Type", "text/csv; charset=utf-8");
  headers.set("Content-Disposition", `attachment; filename="samples-cycle-report-${id}-version-${version.number}.csv"`);
  return new Response(samplesCsv(version.number, selection, samples, reperformances[0] ?? null), { headers });
}
