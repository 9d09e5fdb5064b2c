// Auth middleware: the caller's JWT is checked with the auth server, and a Supabase client acting as the
// caller (their Authorization header, so row-level security applies) is put on the context.
import { createClient, type SupabaseClient, type User } from "@supabase/supabase-js";
import { createMiddleware } from "hono/factory";

export interface CallerEnv {
  Variables: { supabase: SupabaseClient; user: User };
}

export interface SupabaseConfig {
  url: string;
  anonKey: string;
}

export function requireCaller(config: SupabaseConfig) {
  return createMiddleware<CallerEnv>(async (c, next) => {
    const authorization = c.req.header("Authorization");
    if (!authorization?.startsWith("Bearer ")) {
      return c.json({ code: "unauthorized", message: "Sign in first: send your access token as a Bearer token." }, 401);
    }
    const supabase = createClient(config.url, config.anonKey, {
      global: { headers: { Authorization: authorization } },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const { data, error } = await supabase.auth.getUser(authorization.slice("Bearer ".length));
    if (error || !data.user) {
      return c.json({ code: "unauthorized", message: "Your session is not valid; sign in again." }, 401);
    }
    c.set("supabase", supabase);
    c.set("user", data.user);
    await next();
  });
}
