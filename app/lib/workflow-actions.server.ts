import type { SupabaseClient } from "@supabase/supabase-js";
import { fieldErrorsOf, type FormErrors } from "./forms";
import type { Database } from "~/types/database";
import { refusalOf, type Refusal } from "./refusal";
import { type Intent, transitionForm } from "./workflow-forms";

export { intents, type Intent } from "./workflow-forms";

export type TransitionResult =
  | { ok: true }
  | {
      ok: false;
      status: number;
      refusal: Refusal;
      /** A form's problems beside its fields, and which form (its form_id) they belong to. */
      formErrors?: FormErrors;
    };

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
  const values = Object.fromEntries(form);
  const parsed = transitionForm.safeParse(values);
  if (!parsed.success) {
    const formId = typeof values.form_id === "string" && values.form_id ? values.form_id : undefined;
    const fieldErrors = fieldErrorsOf(parsed.error);
    // A reason the user typed (or left blank) is said beside the field of the form that sent it.
    if (fieldErrors.reason) {
      return {
        ok: false,
        status: 400,
        refusal: {
          title: "The request was not valid",
          message: fieldErrors.reason,
          hint: null,
          reason: "invalid_form",
        },
        formErrors: formId ? { formId, fieldErrors } : undefined,
      };
    }
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
