import { redirect } from "@remix-run/node";
import { parseCookieHeader } from "@supabase/ssr";
import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { recordAuthEvent } from "./auth-events.server";
import { cookieSessionEmail } from "./session-cookie.server";
import { sessionEndOf, type SessionEnd } from "./session-limits";
import { createSupabaseServerClient, requestIdHeader } from "./supabase.server";

interface RequestAuth {
  user: User | null;
  supabase: SupabaseClient<Database>;
  /** Set-Cookie (and cache) headers the response must carry, e.g. after a token refresh. */
  headers: Headers;
  /** The session this request came with ended by its idle or absolute limit (its cookies are cleared). */
  sessionEnded: SessionEnd | null;
}

// The loaders of a page run in parallel, and Remix gives each its own copy of the Request (without its
// `_data` and `index` parameters). Sharing one lookup per HTTP request means one auth round trip and at
// most one token refresh (so one refused refresh when the session ended), not one per loader. server.mjs
// tags each request with a fresh id; the key includes the cookies, so a client that sends an id of its own
// (without server.mjs) shares nothing but its own session.
const byRequest = new WeakMap<Request, Promise<RequestAuth>>();
const byRequestId = new Map<string, Promise<RequestAuth>>();
const requestIdLifetimeMs = 60_000;

/** The signed-in user, validated by the auth server (`getUser`, not just the cookie), or null. */
export function getOptionalUser(request: Request): Promise<RequestAuth> {
  const id = request.headers.get(requestIdHeader);
  const key = id ? `${id}\n${request.headers.get("Cookie") ?? ""}` : null;
  let auth = key ? byRequestId.get(key) : byRequest.get(request);
  if (!auth) {
    auth = lookUpUser(request);
    if (key) {
      byRequestId.set(key, auth);
      setTimeout(() => byRequestId.delete(key), requestIdLifetimeMs).unref();
    } else byRequest.set(request, auth);
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
