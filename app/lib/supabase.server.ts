import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { Database } from "~/types/database";
import { env } from "./env.server";
import { isLoopbackUrl, sessionCookieMaxAge } from "./session-cookie.server";

/** Set by server.mjs on every request (any value a client sent is replaced): the browser's address. */
export const clientAddressHeader = "x-regtest-client-address";
/** Set by server.mjs on every request: a fresh id that the copies Remix makes of the request keep. */
export const requestIdHeader = "x-regtest-request-id";

/** The browser's address as the app's server saw it, or null when served without server.mjs. */
export function clientAddress(request: Request): string | null {
  return request.headers.get(clientAddressHeader);
}

/**
 * A Supabase client bound to one request: it reads the session from the request's cookies and collects
 * any cookie it writes (sign-in, token refresh, sign-out) in `headers`, which the loader or action must
 * send with its response.
 */
export function createSupabaseServerClient(request: Request) {
  const headers = new Headers();
  const secure = env.SESSION_SECURE_COOKIES ?? !isLoopbackUrl(request.url);
  const address = clientAddress(request);
  const supabase = createServerClient<Database>(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    // Only the server touches the session, so the browser's scripts never need to read it.
    cookieOptions: { httpOnly: true, secure, sameSite: "lax", path: "/" },
    // The auth server records sign-ins and sign-outs with the address of the browser, not of this server.
    global: address ? { headers: { "X-Forwarded-For": address } } : undefined,
    cookies: {
      // A cookie without a value (`name;`) reads as empty, as the client expects a string.
      getAll: () =>
        parseCookieHeader(request.headers.get("Cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies, cacheHeaders) => {
        // The cookie lives no longer than the session it holds (its absolute limit).
        const maxAge = sessionCookieMaxAge(cookies, env.SESSION_TIMEBOX);
        for (const { name, value, options } of cookies) {
          const lifetime = value ? { ...options, maxAge: Math.min(options.maxAge ?? maxAge, maxAge) } : options;
          headers.append("Set-Cookie", serializeCookieHeader(name, value, lifetime));
        }
        for (const [name, value] of Object.entries(cacheHeaders ?? {})) headers.set(name, value);
      },
    },
  });
  return { supabase, headers };
}
