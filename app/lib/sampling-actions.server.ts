import { z } from "zod";
import type { Json } from "~/types/database";
import {
  addSampleForm,
  parseFixedSizes,
  parsePicks,
  requestSamplesForm,
  requestSamplesValues,
  type RunForm,
  runForm,
  runFormValues,
  samplingFormIds,
} from "./sampling-forms";
import {
  type ActionResult,
  type Client,
  dispatchIntent,
  fieldsRefused,
  type Handler,
  handler,
  invalid,
  refused,
  versionActionHandlers,
  versionForm,
} from "./versions.server";

export { parseFixedSizes, parsePicks } from "./sampling-forms";

function runArguments(f: RunForm, ruleIds: string[]) {
  let parameters: Record<string, unknown> = {};
  if (f.method === "stratified") {
    if (!f.stratum_column) return "Choose the column whose values are the strata.";
    parameters = { stratum_column: f.stratum_column, allocation: f.allocation };
    if (f.allocation === "fixed") {
      const sizes = f.fixed_sizes ? parseFixedSizes(f.fixed_sizes) : null;
      if (!sizes) return "Give each stratum's size as stratum=count, separated by commas.";
      parameters.sizes = sizes;
    }
  } else if (f.method === "targeted") {
    if (!ruleIds.length) return "Choose the profiling rules whose exceptions are the candidates.";
    parameters = { rule_ids: ruleIds };
  } else if (f.method === "judgmental") {
    const picks = f.picks ? parsePicks(f.picks) : null;
    if (!picks) return "List one key per line with the reason for picking it, as key: reason.";
    parameters = { picks };
  }
  const bySize = !["judgmental"].includes(f.method) && !(f.method === "targeted" && !f.size);
  let size: Record<string, unknown> | undefined;
  if (bySize && f.size_basis === "calculator" && f.method !== "targeted") {
    size = {
      basis: "calculator",
      confidence: f.confidence / 100,
      tolerable_rate: f.tolerable / 100,
      expected_deviations: f.expected,
    };
  } else if (bySize) {
    const n = Number(f.size);
    if (!f.size || !Number.isInteger(n) || n < 1) return "Set the sample size (a whole number), or use the calculator.";
    size = { basis: "tester_set", size: n, reason: f.size_reason ?? "" };
  }
  const filter =
    f.filter_column && f.filter_op
      ? [
          ["is_null", "not_null"].includes(f.filter_op)
            ? { column: f.filter_column, op: f.filter_op }
            : { column: f.filter_column, op: f.filter_op, value: f.filter_value ?? "" },
        ]
      : [];
  return {
    p_version_id: f.version_id,
    p_data_source_id: f.data_source_id,
    p_key_column: f.key_column,
    p_method: f.method,
    p_size: size as Json | undefined,
    p_parameters: parameters as Json,
    p_filter: filter as Json,
    p_amount_column: f.amount_column ?? undefined,
    p_seed: f.seed ?? undefined,
  };
}

async function runSelection(
  supabase: Client,
  values: Record<string, FormDataEntryValue>,
  form: FormData,
): Promise<ActionResult> {
  const parsed = runForm.safeParse(runFormValues(form));
  // Said beside the fields of the run form (its form_id), in the banner's words for a form without one.
  if (!parsed.success) return fieldsRefused(parsed.error, values, samplingFormIds.run);
  const args = runArguments(parsed.data, parsed.data.rule_id);
  if (typeof args === "string") return invalid(args);
  const rpc = parsed.data.in_background ? "request_sample_selection" : "run_sample_selection";
  const { error, status } = await supabase.rpc(rpc, args);
  return error ? refused(rpc, error, status) : { ok: true, search: { version: parsed.data.version_id } };
}

const reperformForm = versionForm.extend({
  /** "on": the selection's population is a database table, re-performed as a background job. */
  in_background: z.enum(["on"]).optional(),
});

/** Sample selection's own intents beside the version kit's (create, submit, approve, reject, decide, decide many). */
const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { sample: "sample_decisions" } }),
  run_selection: runSelection,
  reperform: handler(reperformForm, async (supabase, f) => {
    // A database population is re-performed in its own database, by a job; an upload at once.
    const rpc = f.in_background ? "request_sample_reperformance" : "reperform_sample_selection";
    const { error, status } = await supabase.rpc(rpc, { p_version_id: f.version_id });
    return error ? refused(rpc, error, status) : { ok: true, search: { version: f.version_id } };
  }),
  request_samples: async (supabase, values, form) => {
    const parsed = requestSamplesForm.safeParse(requestSamplesValues(form));
    if (!parsed.success) return fieldsRefused(parsed.error, values, samplingFormIds.request);
    const { error, status } = await supabase.rpc("request_samples", {
      p_version_id: parsed.data.version_id,
      p_keys: parsed.data.sample_key,
      p_reason: parsed.data.reason,
    });
    return error
      ? refused("request_samples", error, status)
      : { ok: true, search: { version: parsed.data.version_id } };
  },
  add_requested_samples: handler(versionForm, async (supabase, f) => {
    const { error, status } = await supabase.rpc("add_requested_samples", { p_version_id: f.version_id });
    return error ? refused("add_requested_samples", error, status) : { ok: true, search: { version: f.version_id } };
  }),
  add_sample: handler(
    addSampleForm,
    async (supabase, f) => {
      const { error, status } = await supabase
        .from("sample_decisions")
        .insert({
          version_id: f.version_id,
          sample_key: f.sample_key,
          recommendation_source: "manual",
          selection_reason: f.reason,
        })
        .select("id");
      return error ? refused("add_sample", error, status) : { ok: true, search: { version: f.version_id } };
    },
    { sayFields: true },
  ),
};

/** Runs what a submitted workspace form asks for; the database decides. */
export function runSamplingAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
