import { redirect } from "@remix-run/node";
import { parseCookieHeader } from "@supabase/ssr";
import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { recordAuthEvent } from "./auth-events.server";
import { cookieSessionEmail } from "./session-cookie.server";
import { sessionEndOf, type SessionEnd } from "./session-limits";
import { createSupabaseServerClient } from "./supabase.server";

interface RequestAuth {
  user: User | null;
  supabase: SupabaseClient<Database>;
  /** Set-Cookie (and cache) headers the response must carry, e.g. after a token refresh. */
  headers: Headers;
  /** The session this request came with ended by its idle or absolute limit (its cookies are cleared). */
  sessionEnded: SessionEnd | null;
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
  // A refused refresh has already removed the session (its cookies are cleared in `headers`).
  const sessionEnded = sessionEndOf(error);
  if (sessionEnded) {
    const email = cookieSessionEmail(
      parseCookieHeader(request.headers.get("Cookie") ?? "") as { name: string; value: string }[],
    );
    await recordAuthEvent(supabase, request, "session_expired", email);
  }
  return { user: error ? null : data.user, supabase, headers, sessionEnded };
}

/**
 * Like `getOptionalUser`, but sends a signed-out visitor to the login page and back here afterwards,
 * saying why when their session just ended.
 */
export async function requireUser(request: Request): Promise<Omit<RequestAuth, "user"> & { user: User }> {
  const auth = await getOptionalUser(request);
  if (!auth.user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    if (auth.sessionEnded) params.set("ended", auth.sessionEnded);
    throw redirect(`/login?${params}`, { headers: auth.headers });
  }
  return { ...auth, user: auth.user };
}
