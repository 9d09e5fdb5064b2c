import { z } from "zod";
import type { Json } from "~/types/database";
import {
  type ActionResult,
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

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null);
const percent = (what: string) =>
  z.coerce
    .number({ invalid_type_error: `${what} is a number.` })
    .gt(0, `${what} is above 0%.`)
    .lt(100, `${what} is below 100%.`);

/** The run form: the population, the method with its parameters, the size and the seed. */
export const runForm = versionForm.extend({
  data_source_id: uuid,
  key_column: z.string().min(1, "Choose the key column."),
  method: z.enum(["simple_random", "systematic", "stratified", "monetary_unit", "targeted", "judgmental"]),
  amount_column: optionalText,
  size_basis: z.enum(["calculator", "tester_set"]).default("calculator"),
  confidence: percent("The confidence level").default(95),
  tolerable: percent("The tolerable deviation rate").default(5),
  expected: z.coerce.number().int("Expected deviations is a whole number.").min(0).default(0),
  size: optionalText,
  size_reason: optionalText,
  seed: optionalText,
  stratum_column: optionalText,
  allocation: z.enum(["proportional", "fixed"]).default("proportional"),
  fixed_sizes: optionalText,
  picks: optionalText,
  filter_column: optionalText,
  filter_op: z.enum(["", "eq", "neq", "lt", "lte", "gt", "gte", "is_null", "not_null"]).default(""),
  filter_value: optionalText,
  /** "on": queue the draw as a background job (request_sample_selection) instead of drawing in the request. */
  in_background: z.enum(["on"]).optional(),
});
type RunForm = z.infer<typeof runForm>;

/** "north=3, south 2" → {north: 3, south: 2}; null when a part is not "stratum=count". */
export function parseFixedSizes(text: string): Record<string, number> | null {
  const sizes: Record<string, number> = {};
  for (const part of text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(.+?)\s*[=:\s]\s*(\d+)$/.exec(part);
    if (!match) return null;
    sizes[match[1]!.trim()] = Number(match[2]);
  }
  return Object.keys(sizes).length ? sizes : null;
}

/** One pick per line, "key: reason" (or "key - reason"); null when a line lacks its reason. */
export function parsePicks(text: string): { key: string; reason: string }[] | null {
  const picks: { key: string; reason: string }[] = [];
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^(.+?)\s*(?::|\s-\s)\s*(.+)$/.exec(line);
    if (!match) return null;
    picks.push({ key: match[1]!.trim(), reason: match[2]!.trim() });
  }
  return picks.length ? picks : null;
}

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
  const parsed = runForm.safeParse(values);
  if (!parsed.success) return invalidFields(parsed.error);
  const args = runArguments(parsed.data, form.getAll("rule_id").map(String));
  if (typeof args === "string") return invalid(args);
  const rpc = parsed.data.in_background ? "request_sample_selection" : "run_sample_selection";
  const { error, status } = await supabase.rpc(rpc, args);
  return error ? refused(rpc, error, status) : { ok: true, search: { version: parsed.data.version_id } };
}

const reperformForm = versionForm.extend({
  /** "on": the selection's population is a database table, re-performed as a background job. */
  in_background: z.enum(["on"]).optional(),
});

const requestForm = versionForm.extend({
  sample_key: z.array(z.string().min(1)).min(1, "Choose the samples to ask for."),
  reason: z.string().trim().min(1, "Say why you ask for these samples."),
});

const addForm = versionForm.extend({
  sample_key: z.string().trim().min(1, "Give the key of the sample to add."),
  reason: z.string().trim().min(1, "Say why you add this sample."),
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
    const parsed = requestForm.safeParse({ ...values, sample_key: form.getAll("sample_key").map(String) });
    if (!parsed.success) return invalidFields(parsed.error);
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
    addForm,
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
