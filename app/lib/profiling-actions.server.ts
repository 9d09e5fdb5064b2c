import { FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { functionRefusal } from "./function-refusal.server";
import { generationOptionsForm, requestGeneration } from "./generation.server";
import { definitionFromForm, ruleForm } from "./profiling-rule-form.server";
import { type DatabaseError, refusalOf, type Refusal } from "./refusal";

type Client = SupabaseClient<Database>;

/** What a workspace form can ask for; each is one RPC, item write or function call. */
export type Intent =
  | "create_version"
  | "submit_version"
  | "approve_version"
  | "reject_version"
  | "tester_decision"
  | "owner_decision"
  | "add_rule"
  | "generate_rules"
  | "delete_rule"
  | "run_rules"
  | "mark_anomaly"
  | "clear_anomaly";

/** Where to go after a successful action (query string of the workspace), or why it was refused. */
export type ProfilingActionResult =
  { ok: true; search: Record<string, string> } | { ok: false; status: number; refusal: Refusal };

const uuid = z.string().uuid();
const id = z.coerce.number().int().positive();
const decision = z.object({
  version_id: uuid,
  rule_id: uuid,
  decision: z.enum(["approved", "rejected"]),
  notes: z.string().trim().default(""),
});
const versionForm = z.object({ version_id: uuid });
const resultForm = z.object({ version_id: uuid, run_id: uuid, result_id: id, note: z.string().trim().default("") });

const invalid = (message: string): ProfilingActionResult => ({
  ok: false,
  status: 400,
  refusal: { title: "The request was not valid", message, hint: null, reason: null },
});

/** A form the schema refused, with every problem said. */
const invalidFields = (error: z.ZodError) => invalid(error.issues.map((issue) => issue.message).join(" "));

const notVisible: ProfilingActionResult = {
  ok: false,
  status: 404,
  refusal: {
    title: "Not found",
    message: "This item does not exist or is not visible to you. Reload the page.",
    hint: null,
    reason: null,
  },
};

// Titles for the reasons profiling work can be refused (docs/database.md, "Data profiling" and the lifecycle);
// the database's message, written for people, is shown under the title as it is.
const titles: Record<string, string> = {
  open_version_exists: "A version is already open",
  approved_planning_version_required: "Planning needs an approved version first",
  version_not_draft: "The version is no longer a draft",
  version_not_pending: "The version is not awaiting approval",
  version_empty: "The version has no rules yet",
  tester_decisions_missing: "Every rule needs a tester decision first",
  owner_decisions_missing: "Every rule needs the owner's decision first",
  approver_is_submitter: "Someone else must approve this version",
  rejection_reason_required: "Say why the version is rejected",
  tester_decision_not_in_draft: "Tester decisions are recorded in drafts only",
  owner_decision_not_pending: "Owner decisions are recorded while a version awaits approval",
  invalid_rule_definition: "The rule is not valid",
  rule_does_not_fit_data_source: "The rule does not fit the data source",
  attribute_not_approved: "The attribute is not approved in planning",
  attribute_has_no_data_source: "The attribute has no data source",
  version_not_approved: "Only an approved version can run",
  no_executable_rules: "There are no rules to run",
  execution_requires_tester: "Only the assigned tester can run the rules",
  anomaly_note_required: "Say why this is an anomaly",
  anomaly_requires_tester: "Only the assigned tester can mark anomalies",
};

function refused(intent: Intent, error: DatabaseError, status: number): ProfilingActionResult {
  const base = refusalOf(error, status);
  const refusal = { ...base, title: (base.reason && titles[base.reason]) || base.title };
  if (!refusal.reason) console.error(`${intent} failed: ${error.code} ${error.message}`);
  // Anything but a refusal by the rules is the server's failure, not the user's.
  return { ok: false, status: status >= 400 && status < 500 ? status : 500, refusal };
}

/** An update that RLS filtered out changes nothing and raises nothing; one returned row proves it happened. */
async function updated(
  intent: Intent,
  query: PromiseLike<{ data: unknown[] | null; error: DatabaseError | null; status: number }>,
  search: Record<string, string>,
): Promise<ProfilingActionResult> {
  const { data, error, status } = await query;
  if (error) return refused(intent, error, status);
  return data?.length ? { ok: true, search } : notVisible;
}

async function addRule(supabase: Client, values: Record<string, FormDataEntryValue>): Promise<ProfilingActionResult> {
  const parsed = ruleForm.safeParse(values);
  // The form's own gaps (no name, a bound that is not a number) are said in the form's words.
  if (!parsed.success) return invalidFields(parsed.error);
  const rule = parsed.data;
  const { data: attribute, error } = await supabase
    .from("planning_attributes")
    .select("source_column, planning_data_sources(schema)")
    .eq("id", rule.attribute_id)
    .maybeSingle();
  if (error) return refused("add_rule", error, 500);
  if (!attribute?.source_column) return invalid("The attribute is not mapped to a column of a data source.");
  const columns = (attribute.planning_data_sources?.schema as { columns?: { name: string; pgType?: string }[] } | null)
    ?.columns;
  const columnType = columns?.find((c) => c.name === attribute.source_column)?.pgType ?? "text";
  const insert = await supabase
    .from("profiling_rules")
    .insert({
      version_id: rule.version_id,
      attribute_id: rule.attribute_id,
      name: rule.name,
      rule_type: rule.rule_type,
      severity: rule.severity,
      definition: definitionFromForm(
        rule,
        attribute.source_column,
        columnType,
      ) as Database["public"]["Tables"]["profiling_rules"]["Insert"]["definition"],
    })
    .select("id");
  if (insert.error) return refused("add_rule", insert.error, insert.status);
  return { ok: true, search: { version: rule.version_id } };
}

/** Asks the profiling function to run the version's rules; its answer is the job to follow. */
async function runRules(supabase: Client, versionId: string): Promise<ProfilingActionResult> {
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

type Handler = (supabase: Client, values: Record<string, FormDataEntryValue>) => Promise<ProfilingActionResult>;

/** Parses the form with its schema before the handler sees it; a malformed form never reaches the database. */
function handler<T extends z.ZodTypeAny>(
  schema: T,
  run: (
    supabase: Client,
    form: z.infer<T>,
    values: Record<string, FormDataEntryValue>,
  ) => Promise<ProfilingActionResult>,
): Handler {
  return async (supabase, values) => {
    const parsed = schema.safeParse(values);
    return parsed.success ? run(supabase, parsed.data, values) : invalid("Reload the page and try again.");
  };
}

async function rpc(
  name: "submit_version" | "approve_version",
  supabase: Client,
  versionId: string,
): Promise<ProfilingActionResult> {
  const { error, status } = await supabase.rpc(name, { p_version_id: versionId });
  return error ? refused(name, error, status) : { ok: true, search: { version: versionId } };
}

const handlers: Record<Intent, Handler> = {
  create_version: handler(z.object({ phase_id: id }), async (supabase, f) => {
    const { data, error, status } = await supabase.rpc("create_version", { p_phase_id: f.phase_id });
    if (error) return refused("create_version", error, status);
    return { ok: true, search: { version: data.id } };
  }),
  submit_version: handler(versionForm, (supabase, f) => rpc("submit_version", supabase, f.version_id)),
  approve_version: handler(versionForm, (supabase, f) => rpc("approve_version", supabase, f.version_id)),
  reject_version: handler(versionForm.extend({ reason: z.string().trim() }), async (supabase, f) => {
    const { error, status } = await supabase.rpc("reject_version", { p_version_id: f.version_id, p_reason: f.reason });
    return error ? refused("reject_version", error, status) : { ok: true, search: { version: f.version_id } };
  }),
  tester_decision: handler(decision, (supabase, f) =>
    updated(
      "tester_decision",
      supabase
        .from("profiling_rules")
        .update({ tester_decision: f.decision, tester_notes: f.notes || null })
        .eq("id", f.rule_id)
        .select("id"),
      { version: f.version_id },
    ),
  ),
  owner_decision: handler(decision, (supabase, f) =>
    updated(
      "owner_decision",
      supabase
        .from("profiling_rules")
        .update({ report_owner_decision: f.decision, report_owner_notes: f.notes || null })
        .eq("id", f.rule_id)
        .select("id"),
      { version: f.version_id },
    ),
  ),
  add_rule: (supabase, values) => addRule(supabase, values),
  generate_rules: handler(versionForm, async (supabase, f, values) => {
    // The optional context is the user's own text: its limits are said in words.
    const options = generationOptionsForm.safeParse(values);
    if (!options.success) return invalidFields(options.error);
    const queued = await requestGeneration(supabase, {
      versionId: f.version_id,
      kind: "rules",
      regulatoryContext: options.data.regulatory_context,
      reportType: options.data.report_type,
    });
    return queued.ok ? { ok: true, search: { version: f.version_id, generation: queued.jobId } } : queued;
  }),
  delete_rule: handler(versionForm.extend({ rule_id: uuid }), (supabase, f) =>
    updated("delete_rule", supabase.from("profiling_rules").delete().eq("id", f.rule_id).select("id"), {
      version: f.version_id,
    }),
  ),
  run_rules: handler(versionForm, (supabase, f) => runRules(supabase, f.version_id)),
  mark_anomaly: handler(resultForm, (supabase, f) =>
    updated(
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
    updated(
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

const isIntent = (value: string): value is Intent => Object.hasOwn(handlers, value);

/** Runs what a submitted workspace form asks for; the database (or the profiling function) decides. */
export async function runProfilingAction(supabase: Client, form: FormData): Promise<ProfilingActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (!isIntent(intent)) return invalid("Reload the page and try again.");
  return handlers[intent](supabase, Object.fromEntries(form));
}
