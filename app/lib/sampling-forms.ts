// Sample selection's form schemas, read by the browser (errors beside their fields before anything is sent) and by
// the server (sampling-actions.server.ts), so both say the same about the same values. Whether the population,
// the columns and the size fit is the database's call (run_sample_selection), said in the banner.
import { z } from "zod";

const uuid = z.string().uuid();
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

/** The form ids the sampling page posts (form_id), so the server's field errors come back to their form. */
export const samplingFormIds = { run: "run-selection", request: "request-samples", add: "add-sample" } as const;

/** The run form's fields: the population, the method with its parameters, the size and the seed. */
export const runFields = z.object({
  version_id: uuid,
  data_source_id: uuid,
  key_column: z.string().min(1, "Choose the key column."),
  method: z.enum(["simple_random", "systematic", "stratified", "monetary_unit", "targeted", "judgmental"]),
  amount_column: optionalText,
  size_basis: z.enum(["calculator", "tester_set"]).default("calculator"),
  confidence: percent("The confidence level").default(95),
  tolerable: percent("The tolerable deviation rate").default(5),
  expected: z.coerce
    .number({ invalid_type_error: "Expected deviations is a whole number." })
    .int("Expected deviations is a whole number.")
    .min(0, "Expected deviations is 0 or more.")
    .default(0),
  size: optionalText,
  size_reason: optionalText,
  // The database's limit (run_sample_selection, request_sample_selection), said beside the field.
  seed: z
    .string()
    .trim()
    .max(200, "A seed is 1 to 200 characters.")
    .optional()
    .transform((v) => v || null),
  stratum_column: optionalText,
  allocation: z.enum(["proportional", "fixed"]).default("proportional"),
  fixed_sizes: optionalText,
  picks: optionalText,
  rule_id: z.array(uuid).default([]),
  filter_column: optionalText,
  filter_op: z.enum(["", "eq", "neq", "lt", "lte", "gt", "gte", "is_null", "not_null"]).default(""),
  filter_value: optionalText,
  /** "on": queue the draw as a background job (request_sample_selection) instead of drawing in the request. */
  in_background: z.enum(["on"]).optional(),
});

/** The run form, with what each method needs said beside its field. */
export const runForm = runFields.superRefine((f, ctx) => {
  const say = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (f.method === "stratified") {
    if (!f.stratum_column) say("stratum_column", "Choose the column whose values are the strata.");
    if (f.allocation === "fixed" && !(f.fixed_sizes && parseFixedSizes(f.fixed_sizes)))
      say("fixed_sizes", "Give each stratum's size as stratum=count, separated by commas.");
  }
  if (f.method === "targeted" && !f.rule_id.length)
    say("rule_id", "Choose the profiling rules whose exceptions are the candidates.");
  if (f.method === "judgmental" && !(f.picks && parsePicks(f.picks)))
    say("picks", "List one key per line with the reason for picking it, as key: reason.");
  const bySize = f.method !== "judgmental" && !(f.method === "targeted" && !f.size);
  if (bySize && (f.size_basis === "tester_set" || f.method === "targeted")) {
    const n = Number(f.size);
    if (!f.size || !Number.isInteger(n) || n < 1)
      say("size", "Set the sample size (a whole number), or use the calculator.");
  }
});
export type RunForm = z.infer<typeof runForm>;

/** The run form's values as its schema reads them: the targeted method's rules as a list. */
export function runFormValues(form: FormData): Record<string, unknown> {
  return { ...Object.fromEntries(form), rule_id: form.getAll("rule_id").map(String) };
}

/** The report owner asks for samples of the population, with a reason. */
export const requestSamplesForm = z.object({
  version_id: uuid,
  sample_key: z.array(z.string().min(1)).min(1, "Choose the samples to ask for."),
  reason: z.string().trim().min(1, "Say why you ask for these samples."),
});

/** The chosen samples as a list. */
export function requestSamplesValues(form: FormData): Record<string, unknown> {
  return { ...Object.fromEntries(form), sample_key: form.getAll("sample_key").map(String) };
}

/** The tester adds a sample by its key, with a reason. */
export const addSampleForm = z.object({
  version_id: uuid,
  sample_key: z.string().trim().min(1, "Give the key of the sample to add."),
  reason: z.string().trim().min(1, "Say why you add this sample."),
});
