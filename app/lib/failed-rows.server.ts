import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { env } from "./env.server";

/** What server.mjs puts in the load context for streamed downloads. */
interface StreamContext {
  whenWritable?: () => Promise<void>;
}

const passedOn = [
  "content-type",
  "content-disposition",
  "x-run-failed-count",
  "x-failed-rows-basis",
  "x-masked-columns",
];

/**
 * Streams the profiling function's export of one result (GET /profiling/results/:id/failed-rows) to the browser:
 * a chunk is read from the function only once the browser's connection took the last one, so a slow download
 * holds the export back instead of filling the app's memory, and a cancelled one (request.signal) stops it.
 * The result must belong to the cycle report of the address; the function (as the user) decides the rest.
 */
export async function failedRowsDownload(
  supabase: SupabaseClient<Database>,
  cycleReportId: number,
  resultId: string,
  signal: AbortSignal,
  headers: Headers,
  context: unknown,
): Promise<Response> {
  const { data: result, error } = await supabase
    .from("profiling_rule_results")
    .select("id")
    .eq("id", Number(resultId))
    .eq("cycle_report_id", cycleReportId)
    .maybeSingle();
  if (error) throw new Response("The result could not be read.", { status: 502, headers });
  if (!result) throw new Response("Not found", { status: 404, headers });
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new Response("Unauthorized", { status: 401, headers });
  const upstream = await fetch(`${env.SUPABASE_URL}/functions/v1/profiling/results/${resultId}/failed-rows`, {
    headers: { Authorization: `Bearer ${token}`, apikey: env.SUPABASE_ANON_KEY },
    signal,
  });
  if (!upstream.ok || !upstream.body) {
    const body = (await upstream.json().catch(() => null)) as { message?: string } | null;
    const status = upstream.status >= 500 ? 502 : upstream.status;
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(body?.message ?? "The export failed; please try again.", { status, headers });
  }
  for (const name of passedOn) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  // no-transform: compressed, the download would be buffered by the compression middleware's own stream.
  headers.set("Cache-Control", "no-store, no-transform");
  const whenWritable = (context as StreamContext | undefined)?.whenWritable;
  const reader = upstream.body.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await whenWritable?.();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers });
}
