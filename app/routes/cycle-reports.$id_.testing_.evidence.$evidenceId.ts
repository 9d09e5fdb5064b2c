import { createHash } from "node:crypto";
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { cycleReportIdOf, isUuid } from "~/lib/route-params";
import { previewKind } from "~/lib/testing";

/**
 * A test case's evidence file (an RFI response's file or one uploaded on the case): read as the user, so the
 * database and the storage policies decide who may; checked against its recorded SHA-256; then handed over through
 * a signed URL of a minute, or, for an image preview (`?inline=1`), served by the app itself so the page's
 * content policy allows it. A file whose bytes no longer match is not handed over as if it were the evidence.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const cycleReportId = cycleReportIdOf(params.id);
  if (!isUuid(params.evidenceId)) throw new Response("Not found", { status: 404 });
  const { supabase, headers } = await requireUser(request);
  const notFound = () => new Response("Not found", { status: 404, headers });
  const { data: link } = await supabase
    .from("test_case_evidence")
    .select("id, kind, cycle_report_id, request_file_id, object_path, file_name, content_type, sha256")
    .eq("id", params.evidenceId)
    .maybeSingle();
  if (!link || link.cycle_report_id !== cycleReportId || link.kind === "reference") throw notFound();
  let path = link.object_path;
  if (link.kind === "rfi_file") {
    const { data: file } = await supabase
      .from("request_files")
      .select("object_path")
      .eq("id", link.request_file_id!)
      .maybeSingle();
    path = file?.object_path ?? null;
  }
  if (!path) throw notFound();
  const { data: blob } = await supabase.storage.from("evidence").download(path);
  if (!blob) throw notFound();
  const bytes = Buffer.from(await blob.arrayBuffer());
  if (createHash("sha256").update(bytes).digest("hex") !== link.sha256) {
    return new Response(`${link.file_name} no longer matches the checksum recorded when it was uploaded.`, {
      status: 409,
      headers: { ...Object.fromEntries(headers), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (new URL(request.url).searchParams.get("inline") === "1" && previewKind(link.content_type) === "image") {
    return new Response(bytes, {
      headers: {
        ...Object.fromEntries(headers),
        "Content-Type": link.content_type!,
        "Content-Disposition": "inline",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  }
  const { data } = await supabase.storage.from("evidence").createSignedUrl(path, 60, { download: link.file_name });
  if (!data) throw notFound();
  throw redirect(data.signedUrl, { headers });
}
