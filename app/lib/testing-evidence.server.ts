import { createHash } from "node:crypto";
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { cycleReportIdOf, isUuid } from "~/lib/route-params";

/** An evidence file read as the user and matching its recorded SHA-256: its bytes and how to name them. */
export interface CheckedEvidence {
  bytes: Buffer<ArrayBuffer>;
  fileName: string;
  contentType: string | null;
  headers: Headers;
  /** A signed URL of a minute that downloads the file under its name. */
  download: () => Promise<never>;
}

/**
 * A test case's evidence file (an RFI response's file or one uploaded on the case): read as the user, so the
 * database and the storage policies decide who may (anyone else gets 404, as for an unknown id); checked against its
 * recorded SHA-256, so a file whose bytes no longer match is not handed over as if it were the evidence (409).
 */
export async function checkedEvidence({ request, params }: LoaderFunctionArgs): Promise<CheckedEvidence> {
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
  const objectPath = path;
  const { data: blob } = await supabase.storage.from("evidence").download(objectPath);
  if (!blob) throw notFound();
  const bytes = Buffer.from(await blob.arrayBuffer());
  if (createHash("sha256").update(bytes).digest("hex") !== link.sha256) {
    throw new Response(`${link.file_name} no longer matches the checksum recorded when it was uploaded.`, {
      status: 409,
      headers: { ...Object.fromEntries(headers), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const fileName = link.file_name ?? "evidence";
  return {
    bytes,
    fileName,
    contentType: link.content_type,
    headers,
    download: async () => {
      const { data } = await supabase.storage.from("evidence").createSignedUrl(objectPath, 60, { download: fileName });
      if (!data) throw notFound();
      throw redirect(data.signedUrl, { headers });
    },
  };
}

/** A file name safe in a Content-Disposition header: printable ASCII without quotes or backslashes. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\x20-\x7e]|["\\;]/g, "_").trim();
  return cleaned || "evidence";
}

/**
 * The evidence's own bytes answered by the app, shown in place rather than saved. X-Content-Type-Options: nosniff and
 * the content policy come from the server, which sets them on every response (a second copy here would be appended).
 */
export function inlineEvidence(evidence: CheckedEvidence, contentType: string): Response {
  return new Response(evidence.bytes, {
    headers: {
      ...Object.fromEntries(evidence.headers),
      "Content-Type": contentType,
      "Content-Disposition": `inline; filename="${safeFileName(evidence.fileName)}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
