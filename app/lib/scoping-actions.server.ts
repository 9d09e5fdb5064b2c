import { requestGeneration } from "./generation.server";
import { recommendForm, scopeForm } from "./scoping";
import {
  type ActionResult,
  changed,
  dispatchIntent,
  type Handler,
  handler,
  versionActionHandlers,
  type Client,
} from "./versions.server";

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
    recommendForm,
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
