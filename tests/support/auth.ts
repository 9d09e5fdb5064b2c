import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { requiredEnv } from "./env";

export const demoPassword = "demo-password";

/**
 * A client with no stored session, so clients never share one. Untyped, so tests can also reach what the
 * generated types do not describe; type it where a test wants the schema's types.
 */
export function newClient(key = requiredEnv("SUPABASE_ANON_KEY")): SupabaseClient {
  return createClient(requiredEnv("SUPABASE_URL"), key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export interface SignedIn {
  client: SupabaseClient;
  token: string;
  userId: string;
}

/** Signs in through the gateway's /auth/v1 as a user; fails the test with the reason when refused. */
export async function signIn(email: string, password = demoPassword): Promise<SignedIn> {
  const client = newClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error || !data.session) throw new Error(`sign-in as ${email} failed: ${error?.message}`);
  return { client, token: data.session.access_token, userId: data.user.id };
}
