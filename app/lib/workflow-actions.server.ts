import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { refusalOf, type Refusal } from "./refusal";

/** The transitions a cycle report page can ask for; each is one RPC of the database's public API. */
export const intents = [
  "start_phase",
  "complete_phase",
  "skip_phase",
  "reopen_phase",
  "start_activity",
  "complete_activity",
] as const;
export type Intent = (typeof intents)[number];

const transitionForm = z.object({
  intent: z.enum(intents),
  id: z.coerce.number().int().positive(),
  // Skipping and reopening need a reason; whether it is one is the database's call (PT400 *_reason_required).
  reason: z.string().max(2000).optional().default(""),
});

export type TransitionResult = { ok: true } | { ok: false; status: number; refusal: Refusal };

function call(supabase: SupabaseClient<Database>, intent: Intent, id: number, reason: string) {
  switch (intent) {
    case "start_phase":
      return supabase.rpc("start_phase", { p_phase_id: id });
    case "complete_phase":
      return supabase.rpc("complete_phase", { p_phase_id: id });
    case "skip_phase":
      return supabase.rpc("skip_phase", { p_phase_id: id, p_reason: reason });
    case "reopen_phase":
      return supabase.rpc("reopen_phase", { p_phase_id: id, p_reason: reason });
    case "start_activity":
      return supabase.rpc("start_activity", { p_activity_id: id });
    case "complete_activity":
      return supabase.rpc("complete_activity", { p_activity_id: id });
  }
}

/** Runs the transition a submitted form asks for; the database decides whether it is allowed. */
export async function runTransition(supabase: SupabaseClient<Database>, form: FormData): Promise<TransitionResult> {
  const parsed = transitionForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      refusal: {
        title: "The request was not valid",
        message: "Reload the page and try again.",
        hint: null,
        reason: null,
      },
    };
  }
  const { error, status } = await call(supabase, parsed.data.intent, parsed.data.id, parsed.data.reason);
  if (!error) return { ok: true };
  const refusal = refusalOf(error, status);
  if (!refusal.reason) console.error(`${parsed.data.intent}(${parsed.data.id}) failed: ${error.code} ${error.message}`);
  // Anything but a refusal by the rules is the server's failure, not the user's.
  return { ok: false, status: status >= 400 && status < 500 ? status : 500, refusal };
}
