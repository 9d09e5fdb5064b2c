import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import type { Database } from "~/types/database";
import { env } from "./env.server";

/**
 * A Supabase client bound to one request: it reads the session from the request's cookies and collects
 * any cookie it writes (sign-in, token refresh, sign-out) in `headers`, which the loader or action must
 * send with its response.
 */
export function createSupabaseServerClient(request: Request) {
  const headers = new Headers();
  const secure = env.SESSION_SECURE_COOKIES ?? new URL(request.url).protocol === "https:";
  const supabase = createServerClient<Database>(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    // Only the server touches the session, so the browser's scripts never need to read it.
    cookieOptions: { httpOnly: true, secure, sameSite: "lax", path: "/" },
    cookies: {
      // A cookie without a value (`name;`) reads as empty, as the client expects a string.
      getAll: () =>
        parseCookieHeader(request.headers.get("Cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies, cacheHeaders) => {
        for (const { name, value, options } of cookies) {
          headers.append("Set-Cookie", serializeCookieHeader(name, value, options));
        }
        for (const [name, value] of Object.entries(cacheHeaders ?? {})) headers.set(name, value);
      },
    },
  });
  return { supabase, headers };
}
