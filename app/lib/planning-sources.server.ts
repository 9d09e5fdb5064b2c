import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { codedRefusal } from "./function-refusal.server";
import { env } from "./env.server";
import { refusalOfPlanning, tooLargeUpload } from "./planning-refusal";
import type { Refusal } from "./refusal";

/** The `planning-sources` edge function: it owns uploads, stored passwords and connection tests. */
const functionUrl = () => `${env.SUPABASE_URL}/functions/v1/planning-sources`;

export type SourceCallResult = { ok: true; body: unknown } | { ok: false; status: number; refusal: Refusal };

/** The function checks the user's own token, so it acts for them and the database judges them. */
async function authHeaders(supabase: SupabaseClient<Database>): Promise<Record<string, string>> {
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new Response("Unauthorized", { status: 401 });
  return { Authorization: `Bearer ${token}`, apikey: env.SUPABASE_ANON_KEY };
}

async function resultOf(response: Response): Promise<SourceCallResult> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok) return { ok: true, body };
  if (response.status >= 500 || !body) {
    console.error(`planning-sources answered ${response.status}: ${JSON.stringify(body)}`);
    return {
      ok: false,
      status: 502,
      refusal: {
        title: "The data source service failed",
        message: "Please try again. If it keeps happening, tell an admin.",
        hint: null,
        reason: null,
      },
    };
  }
  return {
    ok: false,
    status: response.status,
    // Its refusals (the database's, ingestion's, connection tests') are written for people: shown as the
    // database's coded refusals are.
    refusal: refusalOfPlanning(codedRefusal(response.status, body), response.status),
  };
}

const tooLarge = (maxBytes: number): SourceCallResult => ({
  ok: false,
  status: 413,
  refusal: tooLargeUpload(maxBytes),
});

const interrupted: SourceCallResult = {
  ok: false,
  status: 502,
  refusal: {
    title: "The upload failed",
    message: "The connection to the data source service broke off before it answered. Nothing was loaded.",
    hint: "Upload the file again; if it keeps happening, tell an admin.",
    reason: "upload_interrupted",
  },
};

type Sent = { answer: Response } | { broken: Error };

/**
 * POSTs the stream with node:http, so the function's answer is taken whenever it comes: the function answers
 * a refusal (413 too_large past its limit, a malformed line) as soon as it knows, while the file is still being
 * sent, and a fetch then reports the broken upload (EPIPE) instead of the answer. The limit is the function's
 * to enforce on a stream: cutting the request short here would leave it waiting for the rest.
 */
function postStream(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>): Promise<Sent> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (sent: Sent) => {
      if (settled) return;
      settled = true;
      resolve(sent);
    };
    const target = new URL(url);
    const request = (target.protocol === "https:" ? httpsRequest : httpRequest)(target, { method: "POST", headers });
    request.on("response", (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        settle({ answer: new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 502 }) });
        // An answer before the whole file was sent ends the request: nothing more is read on the other side.
        request.destroy();
      });
      incoming.on("error", (error) => settle({ broken: error }));
    });
    // A write after the answer came fails (EPIPE, reset): the answer is what counts, and it is already taken.
    request.on("error", (error) => setTimeout(() => settle({ broken: error }), 50));
    const reader = body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          if (!request.destroyed) request.end();
          return;
        }
        // Once the answer is in, the rest of the file is read and dropped, so the browser still sending it
        // gets the answer rather than a broken connection.
        if (settled || request.destroyed) continue;
        if (!request.write(value)) {
          await new Promise((r) => {
            request.once("drain", r);
            request.once("close", r);
          });
        }
      }
    })().catch((error: unknown) => {
      request.destroy();
      settle({ broken: error instanceof Error ? error : new Error(String(error)) });
    });
  });
}

/**
 * Streams an uploaded file on to the function without holding it in memory; the function reports malformed
 * files with the line and a file over the limit (413 too_large). A file whose declared length is over the limit is
 * refused here as the function refuses it, before anything is sent.
 */
export async function uploadCsv(
  supabase: SupabaseClient<Database>,
  input: {
    versionId: string;
    name: string;
    body: ReadableStream<Uint8Array>;
    contentLength: string | null;
    maxBytes: number;
  },
): Promise<SourceCallResult> {
  if (Number(input.contentLength ?? 0) > input.maxBytes) {
    // Read to the end and dropped: a client still sending when the answer comes would see a broken connection.
    const reader = input.body.getReader();
    while (!(await reader.read()).done);
    return tooLarge(input.maxBytes);
  }
  const headers: Record<string, string> = { ...(await authHeaders(supabase)), "Content-Type": "text/csv" };
  if (input.contentLength) headers["Content-Length"] = input.contentLength;
  else headers["Transfer-Encoding"] = "chunked";
  const url = `${functionUrl()}/versions/${encodeURIComponent(input.versionId)}/uploads?${new URLSearchParams({ name: input.name })}`;
  const sent = await postStream(url, headers, input.body);
  if ("answer" in sent) return resultOf(sent.answer);
  console.error(`upload to planning-sources failed: ${sent.broken.message}`);
  return interrupted;
}

export interface DatabaseSourceInput {
  name: string;
  host: string;
  port?: number;
  database: string;
  schema?: string;
  table: string;
  user: string;
  password: string;
}

export async function addDatabaseSource(
  supabase: SupabaseClient<Database>,
  versionId: string,
  input: DatabaseSourceInput,
): Promise<SourceCallResult> {
  const response = await fetch(`${functionUrl()}/versions/${encodeURIComponent(versionId)}/databases`, {
    method: "POST",
    headers: { ...(await authHeaders(supabase)), "Content-Type": "application/json" },
    body: JSON.stringify(input),
  });
  return resultOf(response);
}

/** Connects to a database source and records its table's schema; a failed connection is a refusal with why. */
export async function testDatabaseSource(supabase: SupabaseClient<Database>, sourceId: string) {
  const response = await fetch(`${functionUrl()}/sources/${encodeURIComponent(sourceId)}/test`, {
    method: "POST",
    headers: await authHeaders(supabase),
  });
  return resultOf(response);
}

/** Corrects a database source (the function keeps the password: blank keeps the stored one). */
export async function updateDatabaseSource(
  supabase: SupabaseClient<Database>,
  sourceId: string,
  input: Omit<DatabaseSourceInput, "password"> & { password?: string },
): Promise<SourceCallResult> {
  const response = await fetch(`${functionUrl()}/sources/${encodeURIComponent(sourceId)}`, {
    method: "PATCH",
    headers: { ...(await authHeaders(supabase)), "Content-Type": "application/json" },
    body: JSON.stringify(input),
  });
  return resultOf(response);
}

// Sources given as responses to data requests (decision 029): the same function, ingestion and host policy.

/** Loads a CSV as a response's data source, for the request item it supplies (null: the response's or the only one). */
export async function uploadResponseCsv(
  supabase: SupabaseClient<Database>,
  responseId: number,
  input: { name: string; itemId: number | null; bytes: Uint8Array },
): Promise<SourceCallResult> {
  const query = new URLSearchParams({ name: input.name, ...(input.itemId ? { item: String(input.itemId) } : {}) });
  const response = await fetch(`${functionUrl()}/responses/${responseId}/uploads?${query}`, {
    method: "POST",
    headers: { ...(await authHeaders(supabase)), "Content-Type": "text/csv" },
    body: new Blob([input.bytes as Uint8Array<ArrayBuffer>]),
  });
  return resultOf(response);
}

/** Records a database table as a response's data source, then tests its connection (which records its schema). */
export async function addResponseDatabaseSource(
  supabase: SupabaseClient<Database>,
  responseId: number,
  input: DatabaseSourceInput & { item_id: number | null },
): Promise<SourceCallResult> {
  const added = await resultOf(
    await fetch(`${functionUrl()}/responses/${responseId}/databases`, {
      method: "POST",
      headers: { ...(await authHeaders(supabase)), "Content-Type": "application/json" },
      body: JSON.stringify(input),
    }),
  );
  if (!added.ok) return added;
  const id = (added.body as { id: string }).id;
  return resultOf(
    await fetch(`${functionUrl()}/response-sources/${encodeURIComponent(id)}/test`, {
      method: "POST",
      headers: await authHeaders(supabase),
    }),
  );
}
