import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { clientAddress } from "./supabase.server";

/**
 * Records a sign-in event the auth server keeps no row of (a failed sign-in, a session ended by its
 * limits) for the admins' sign-in events page. Never fails the request it belongs to.
 */
export async function recordAuthEvent(
  supabase: SupabaseClient<Database>,
  request: Request,
  event: "sign_in_failed" | "session_expired",
  email: string | null,
): Promise<void> {
  const { error } = await supabase.rpc("record_auth_event", {
    p_event: event,
    p_email: (email ?? "").slice(0, 320),
    p_ip_address: clientAddress(request) ?? "",
  });
  if (error) console.warn(`could not record ${event}: ${error.message}`);
}
