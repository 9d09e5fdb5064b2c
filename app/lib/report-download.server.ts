import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "./auth.server";
import { exportFileName, loadFrozenReport, type FrozenReport } from "./report-export.server";
import { cycleReportIdOf } from "./route-params";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Serves one export of a frozen test report (decision 032): read through the signed-in user's client, so the
 * report's row-level security decides who gets it (anyone else: 404); a draft is refused with 409; a version id
 * that is not one is refused with 400.
 */
export async function downloadReport(
  { request, params }: LoaderFunctionArgs,
  format: { extension: "pdf" | "xlsx"; contentType: string; render: (report: FrozenReport) => Promise<Buffer> },
): Promise<Response> {
  const id = cycleReportIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const versionId = new URL(request.url).searchParams.get("version");
  headers.set("Cache-Control", "private, no-store");
  if (versionId !== null && !uuidPattern.test(versionId)) {
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response("The version is not a version id.", { status: 400, headers });
  }
  const result = await loadFrozenReport(supabase, user, id, versionId);
  if (!result.ok) {
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(result.message, { status: result.status, headers });
  }
  const file = await format.render(result.report);
  headers.set("Content-Type", format.contentType);
  headers.set("Content-Disposition", `attachment; filename="${exportFileName(result.report, format.extension)}"`);
  headers.set("X-Content-SHA256", result.report.checksum);
  return new Response(new Uint8Array(file), { headers });
}
