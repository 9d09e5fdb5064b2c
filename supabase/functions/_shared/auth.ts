// Auth middleware for edge functions: the caller's access token is checked with the auth server
// (GET /auth/v1/user through supabase-js), and the signed-in user is put on the context.
import { createClient, type SupabaseClient, type User } from "@supabase/supabase-js";
import { createMiddleware } from "hono/factory";
import { requireEnv } from "./env.ts";

export interface UserEnv {
  Variables: { user: User };
}

/** Looks up the user an access token belongs to; null when the token is not a signed-in user's. */
export type UserLookup = (accessToken: string) => Promise<User | null>;

/** Asks the project's auth server who the token belongs to (SUPABASE_URL and SUPABASE_ANON_KEY). */
export function authServerLookup(
  url = requireEnv("SUPABASE_URL"),
  anonKey = requireEnv("SUPABASE_ANON_KEY"),
): UserLookup {
  const supabase = createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return async (accessToken) => {
    const { data, error } = await supabase.auth.getUser(accessToken);
    return error ? null : data.user;
  };
}

/** Refuses requests without a signed-in user's access token (401); the anon key is not a user. */
export function requireUser(lookup: UserLookup) {
  return createMiddleware<UserEnv>(async (c, next) => {
    const token = /^Bearer (.+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!token) {
      return c.json({ code: "unauthorized", message: "Sign in first: send your access token as a Bearer token." }, 401);
    }
    const user = await lookup(token);
    if (!user) return c.json({ code: "unauthorized", message: "Your session is not valid; sign in again." }, 401);
    c.set("user", user);
    await next();
  });
}

/** A client acting as the caller (their Authorization header), so row-level security and auth.uid() apply. */
export function callerClient(url: string, anonKey: string, authorization: string): SupabaseClient {
  return createClient(url, anonKey, {
    global: { headers: { Authorization: authorization } },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
