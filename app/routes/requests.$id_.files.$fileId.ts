import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { evidenceDownload } from "~/lib/requests.server";
import { isUuid } from "~/lib/route-params";

/**
 * An evidence file: checked against its recorded SHA-256, then handed over through a signed URL of a minute.
 * A file whose bytes no longer match is not handed over as if it were the evidence.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isUuid(params.fileId)) throw new Response("Not found", { status: 404 });
  const { supabase, headers } = await requireUser(request);
  const download = await evidenceDownload(supabase, params.fileId);
  if (!download) throw new Response("Not found", { status: 404, headers });
  if (!download.intact) {
    return new Response(`${download.name} no longer matches the checksum recorded when it was uploaded.`, {
      status: 409,
      headers: { ...Object.fromEntries(headers), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  throw redirect(download.url, { headers });
}
