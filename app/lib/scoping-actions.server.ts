import { z } from "zod";
import { generationOptionsForm, requestGeneration } from "./generation.server";
import { riskLevels, testingApproaches } from "./scoping";
import {
  type ActionResult,
  changed,
  dispatchIntent,
  type Handler,
  handler,
  uuid,
  versionActionHandlers,
  versionForm,
  type Client,
} from "./versions.server";

const blankIsNull = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), schema.nullable());

/** One decision's scope, as its row's form sends it: the box ticked (in scope) or not, risk, approach, rationale. */
export const scopeForm = versionForm.extend({
  item_id: uuid,
  in_scope: z.literal("on").optional(),
  risk_rating: blankIsNull(z.enum(riskLevels)),
  testing_approach: blankIsNull(z.enum(testingApproaches)),
  rationale: blankIsNull(z.string().trim().max(4000, "A rationale is at most 4,000 characters.")),
});

const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { decision: "scoping_decisions" } }),
  save_scope: handler(
    scopeForm,
    async (supabase, f) => {
      const inScope = f.in_scope === "on";
      return changed(
        "save_scope",
        supabase
          .from("scoping_decisions")
          .update({
            in_scope: inScope,
            risk_rating: f.risk_rating,
            // An attribute out of scope is not tested, so it has no approach.
            testing_approach: inScope ? f.testing_approach : null,
            rationale: f.rationale,
          })
          .eq("id", f.item_id)
          .eq("version_id", f.version_id)
          .select("id"),
        { version: f.version_id },
      );
    },
    { sayFields: true },
  ),
  recommend: handler(
    versionForm.and(generationOptionsForm),
    async (supabase, f) => {
      const queued = await requestGeneration(supabase, {
        versionId: f.version_id,
        kind: "scoping",
        regulatoryContext: f.regulatory_context,
        reportType: f.report_type,
      });
      return queued.ok ? { ok: true, search: { version: f.version_id, job: queued.jobId } } : queued;
    },
    { sayFields: true },
  ),
};

/** The scoping workspace's intents: the version kit's lifecycle and decisions, a decision's scope, recommendations. */
export function runScopingAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
