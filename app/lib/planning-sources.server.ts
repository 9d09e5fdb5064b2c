import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { codedRefusal } from "./function-refusal.server";
import { env } from "./env.server";
import { refusalOfPlanning } from "./planning-refusal";
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

/**
 * Streams an uploaded file on to the function without holding it in memory; the function limits its size and
 * reports malformed files with the line.
 */
export async function uploadCsv(
  supabase: SupabaseClient<Database>,
  input: { versionId: string; name: string; body: ReadableStream<Uint8Array>; contentLength: string | null },
): Promise<SourceCallResult> {
  const headers: Record<string, string> = { ...(await authHeaders(supabase)), "Content-Type": "text/csv" };
  if (input.contentLength) headers["Content-Length"] = input.contentLength;
  const url = `${functionUrl()}/versions/${encodeURIComponent(input.versionId)}/uploads?${new URLSearchParams({ name: input.name })}`;
  const response = await fetch(url, { method: "POST", headers, body: input.body, duplex: "half" } as RequestInit);
  return resultOf(response);
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
