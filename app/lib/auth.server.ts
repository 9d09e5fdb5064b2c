import { redirect } from "@remix-run/node";
import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { createSupabaseServerClient } from "./supabase.server";

interface RequestAuth {
  user: User | null;
  supabase: SupabaseClient<Database>;
  /** Set-Cookie (and cache) headers the response must carry, e.g. after a token refresh. */
  headers: Headers;
}

// Remix hands the same Request to every loader of a page, and they run in parallel: sharing one lookup
// per request means one auth round trip and at most one token refresh, not one per loader.
const byRequest = new WeakMap<Request, Promise<RequestAuth>>();

/** The signed-in user, validated by the auth server (`getUser`, not just the cookie), or null. */
export function getOptionalUser(request: Request): Promise<RequestAuth> {
  let auth = byRequest.get(request);
  if (!auth) {
    auth = lookUpUser(request);
    byRequest.set(request, auth);
  }
  return auth;
}

async function lookUpUser(request: Request): Promise<RequestAuth> {
  const { supabase, headers } = createSupabaseServerClient(request);
  const { data, error } = await supabase.auth.getUser();
  return { user: error ? null : data.user, supabase, headers };
}

/** Like `getOptionalUser`, but sends a signed-out visitor to the login page and back here afterwards. */
export async function requireUser(request: Request): Promise<RequestAuth & { user: User }> {
  const { user, supabase, headers } = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    throw redirect(`/login?${params}`, { headers });
  }
  return { user, supabase, headers };
}
