import { FunctionsHttpError } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { functionRefusal } from "./function-refusal.server";
import { type DatabaseError, refusalOfWrite } from "./refusal";
import { generationRequestForm } from "./generation-options";
import { requestGeneration } from "./generation.server";
import { parseExpression } from "../../supabase/functions/_shared/rules/parse-expression";
import { definitionFromForm, type FieldErrors, fieldErrorsOf, ruleForm, ruleFormId, ruleFormValues } from "./rule-form";
import {
  type ActionResult,
  changed,
  type Client,
  dispatchIntent,
  type Handler,
  handler,
  invalid,
  invalidFields,
  refused,
  uuid,
  versionActionHandlers,
  versionForm,
} from "./versions.server";

/** Where to go after a successful action (query string of the workspace), or why it was refused. */
export type ProfilingActionResult = ActionResult;

const id = z.coerce.number().int().positive();
const resultForm = z.object({ version_id: uuid, run_id: uuid, result_id: id, note: z.string().trim().default("") });

/** The form's own problems, said beside their fields of the form that sent them (the banner is the database's). */
function ruleFormRefused(result: ActionResult, fieldErrors: FieldErrors, formId: string): ActionResult {
  return result.ok ? result : { ...result, fieldErrors, formId };
}

/**
 * Adds a rule to a draft, or edits one of its rules (`item_id`), from the rule form: on the column its attribute
 * maps to, an expression parsed by PostgreSQL's parser first. The database judges the definition and the draft.
 */
async function saveRule(supabase: Client, form: FormData): Promise<ActionResult> {
  const parsed = ruleForm.safeParse(ruleFormValues(form));
  const posted = form.get("form_id");
  const formId =
    typeof posted === "string" && posted ? posted : ruleFormId(String(form.get("item_id") ?? "") || undefined);
  // The form's own gaps (no name, a bound that is not a number) are said in the form's words, beside each field.
  if (!parsed.success) return ruleFormRefused(invalidFields(parsed.error), fieldErrorsOf(parsed.error), formId);
  const rule = parsed.data;
  const { data: attribute, error } = await supabase
    .from("planning_attributes")
    .select("source_column, planning_data_sources(schema)")
    .eq("id", rule.attribute_id)
    .maybeSingle();
  if (error) return refused("save_rule", error, 500);
  if (!attribute?.source_column) {
    const message = "The attribute is not mapped to a column of a data source.";
    return ruleFormRefused(invalid(message), { attribute_id: message }, formId);
  }
  const columns = (attribute.planning_data_sources?.schema as { columns?: { name: string; pgType?: string }[] } | null)
    ?.columns;
  const columnType = columns?.find((c) => c.name === attribute.source_column)?.pgType ?? "text";
  let definition = definitionFromForm(rule, attribute.source_column, columnType);
  if (definition.kind === "expression") {
    const expression = await parseExpression(String(definition.expression_text));
    if (!expression.ok) {
      const message = `The condition cannot be used: ${expression.errors.join("; ")}`;
      return ruleFormRefused(invalid(message), { expression: message }, formId);
    }
    definition = { kind: "expression", expression: expression.ast };
  }
  const row = {
    attribute_id: rule.attribute_id,
    name: rule.name,
    rule_type: rule.rule_type,
    severity: rule.severity,
    definition: definition as Database["public"]["Tables"]["profiling_rules"]["Insert"]["definition"],
  };
  // A taken name says so, with the name, rather than "please try again".
  const titleOf = (e: DatabaseError, s: number) =>
    refusalOfWrite(e, s, `The name “${rule.name}” is already taken by another rule of this attribute; choose another.`);
  if (rule.item_id) {
    const result = await changed(
      "update_rule",
      supabase
        .from("profiling_rules")
        .update(row)
        .eq("id", rule.item_id)
        .eq("version_id", rule.version_id)
        .select("id"),
      { version: rule.version_id },
      titleOf,
    );
    // The database's refusals (a taken name, a draft no longer open) are the banner's.
    return result;
  }
  const insert = await supabase
    .from("profiling_rules")
    .insert({ ...row, version_id: rule.version_id })
    .select("id");
  if (insert.error) return refused("add_rule", insert.error, insert.status, titleOf);
  return { ok: true, search: { version: rule.version_id } };
}

/** Asks the profiling function to run the version's rules; its answer is the job to follow. */
async function runRules(supabase: Client, versionId: string): Promise<ActionResult> {
  const { data, error } = await supabase.functions.invoke<{ job_id: string }>(
    `profiling/versions/${versionId}/executions`,
    { method: "POST" },
  );
  if (!error && data?.job_id) return { ok: true, search: { version: versionId, run: data.job_id } };
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    return refused("run_rules", await functionRefusal(response), response.status);
  }
  console.error(`run_rules failed: ${error?.message ?? "no job id in the answer"}`);
  return {
    ok: false,
    status: 502,
    refusal: {
      title: "The rules could not be started",
      message: "The profiling service did not answer. Please try again in a moment.",
      hint: null,
      reason: null,
    },
  };
}

/** Data profiling's own intents beside the version kit's (create, submit, approve, reject, decide, decide many). */
const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { rule: "profiling_rules" } }),
  add_rule: (supabase, _values, form) => saveRule(supabase, form),
  update_rule: (supabase, _values, form) => saveRule(supabase, form),
  generate_rules: handler(
    generationRequestForm,
    async (supabase, f) => {
      const queued = await requestGeneration(supabase, {
        versionId: f.version_id,
        kind: "rules",
        regulatoryContext: f.regulatory_context,
        reportType: f.report_type,
      });
      return queued.ok ? { ok: true, search: { version: f.version_id, generation: queued.jobId } } : queued;
    },
    { sayFields: true },
  ),
  delete_rule: handler(versionForm.extend({ item_id: uuid }), (supabase, f) =>
    changed("delete_rule", supabase.from("profiling_rules").delete().eq("id", f.item_id).select("id"), {
      version: f.version_id,
    }),
  ),
  run_rules: handler(versionForm, (supabase, f) => runRules(supabase, f.version_id)),
  mark_anomaly: handler(resultForm, (supabase, f) =>
    changed(
      "mark_anomaly",
      supabase
        .from("profiling_rule_results")
        // An empty note goes to the database as null, which refuses it with its own message.
        .update({ is_anomaly: true, anomaly_note: f.note || null })
        .eq("id", f.result_id)
        .select("id"),
      { version: f.version_id, run: f.run_id },
    ),
  ),
  clear_anomaly: handler(resultForm, (supabase, f) =>
    changed(
      "clear_anomaly",
      supabase
        .from("profiling_rule_results")
        .update({ is_anomaly: false, anomaly_note: null })
        .eq("id", f.result_id)
        .select("id"),
      { version: f.version_id, run: f.run_id },
    ),
  ),
};

/** Runs what a submitted workspace form asks for; the database (or the profiling function) decides. */
export function runProfilingAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
