import { z } from "zod";
import type { Json } from "~/types/database";
import { parseEvidence, testResults } from "./testing";
import {
  type ActionResult,
  changed,
  type Client,
  dispatchIntent,
  type Handler,
  handler,
  uuid,
  versionActionHandlers,
  versionForm,
} from "./versions.server";

const optionalText = z
  .string()
  .trim()
  .max(10_000)
  .optional()
  .transform((v) => v || null);

/** The result form of the side panel: what the preparer records for one test case. */
export const resultForm = versionForm.extend({
  item_id: uuid,
  result: z.enum(testResults.map((r) => r.value) as [string, ...string[]], {
    errorMap: () => ({ message: "Choose the result." }),
  }),
  source_value: optionalText,
  expected_value: optionalText,
  exception_description: optionalText,
  evidence: z
    .string()
    .optional()
    .transform((v) => parseEvidence(v ?? "")),
  test_notes: optionalText,
});

/** Test execution's own intents beside the version kit's (create, submit, approve, reject, decide, decide many). */
const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { test_case: "test_cases" } }),
  save_result: handler(
    resultForm,
    async (supabase, f) =>
      changed(
        "save_result",
        supabase
          .from("test_cases")
          .update({
            result: f.result,
            source_value: f.source_value,
            expected_value: f.expected_value,
            exception_description: f.exception_description,
            evidence: f.evidence as unknown as NonNullable<Json>,
            test_notes: f.test_notes,
          })
          .eq("id", f.item_id)
          .eq("version_id", f.version_id)
          .select("id"),
        { version: f.version_id, case: f.item_id },
      ),
    { sayFields: true },
  ),
};

/** Runs what a submitted workspace form asks for; the database decides. */
export function runTestingAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
