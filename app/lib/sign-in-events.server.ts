import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";

export type SignInEvent = Database["public"]["Functions"]["list_sign_in_events"]["Returns"][number];

/** The newest sign-in events, of everyone or of one person; refused when the caller is no admin (PT403). */
export async function loadSignInEvents(
  supabase: SupabaseClient<Database>,
  email: string | null,
  limit = 200,
): Promise<{ events: SignInEvent[] } | { refused: true }> {
  const { data, error } = await supabase.rpc("list_sign_in_events", {
    p_limit: limit,
    ...(email ? { p_email: email } : {}),
  });
  if (error) {
    if (error.code === "PT403") return { refused: true };
    throw new Error(`sign-in events could not be read: ${error.message}`);
  }
  return { events: data ?? [] };
}

/** Whether the signed-in user is an admin, from their profile (for the header's admin links). */
export async function appRoleOf(
  supabase: SupabaseClient<Database>,
  userId: string,
): Promise<Database["public"]["Enums"]["app_role"] | null> {
  const { data } = await supabase.from("profiles").select("app_role").eq("id", userId).maybeSingle();
  return data?.app_role ?? null;
}
