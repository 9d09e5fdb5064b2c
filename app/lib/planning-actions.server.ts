import type { PostgrestError, SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { generationOptionsForm, requestGeneration } from "./generation.server";
import { classifications, dataTypes } from "./planning-query";
import { invalidForm, refusalOfPlanning } from "./planning-refusal";
import { addDatabaseSource, testDatabaseSource, type SourceCallResult } from "./planning-sources.server";
import type { Refusal } from "./refusal";

type Client = SupabaseClient<Database>;

export type PlanningActionResult =
  { ok: true; versionId?: string; jobId?: string } | { ok: false; status: number; refusal: Refusal };

const uuid = z.string().uuid();
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || null)
    .nullish()
    .transform((v) => v ?? null);
// Checkboxes send "on" when ticked and nothing otherwise.
const checkbox = z
  .string()
  .optional()
  .transform((v) => v !== undefined);
const levels = ["low", "medium", "high"] as const;

const attributeFields = z.object({
  name: z.string().trim().min(1, "Give the attribute a name.").max(255),
  data_type: z.enum(dataTypes),
  description: text(10_000),
  business_definition: text(10_000),
  is_mandatory: checkbox,
  is_cde: checkbox,
  is_primary_key: checkbox,
  max_length: z
    .union([z.literal("").transform(() => null), z.coerce.number().int().positive("Max length must be positive.")])
    .nullish()
    .transform((v) => v ?? null),
  information_security_classification: z.enum(classifications),
  data_source_id: z
    .union([z.literal("").transform(() => null), uuid])
    .nullish()
    .transform((v) => v ?? null),
  source_column: text(255),
  transformation_rule: text(10_000),
});

const mappingFields = z.object({
  attribute_id: uuid,
  pde_code: z.string().trim().min(1, "Give the mapping a PDE code.").max(100),
  pde_name: z.string().trim().min(1, "Give the mapping a PDE name.").max(255),
  mapping_type: z.enum(["direct", "conditional", "derived", "lookup"]),
  source_table: text(255),
  source_column: text(255),
  transformation_rule: text(10_000),
  is_primary: checkbox,
  criticality: z.enum(levels),
  risk_level: z.enum(levels),
  information_security: z.enum(classifications),
  regulatory_flag: checkbox,
  pii_flag: checkbox,
  data_category: text(100),
});

const decisionFields = z.object({
  item: z.enum(["attribute", "mapping", "source"]),
  id: uuid,
  decision: z.enum(["approved", "rejected", "request_changes"]),
  notes: text(10_000),
});

const databaseFields = z.object({
  name: z.string().trim().min(1, "Give the data source a name.").max(255),
  host: z.string().trim().min(1, "Enter the host.").max(255),
  port: z.union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(65535)]).optional(),
  database: z.string().trim().min(1, "Enter the database.").max(63),
  schema: z
    .string()
    .trim()
    .max(63)
    .transform((v) => v || undefined)
    .optional(),
  table: z.string().trim().min(1, "Enter the table.").max(63),
  user: z.string().trim().min(1, "Enter the user.").max(63),
  password: z.string().min(1, "Enter the password.").max(1000),
});

const itemTables = {
  attribute: "planning_attributes",
  mapping: "planning_pde_mappings",
  source: "planning_data_sources",
} as const;

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, form: Record<string, unknown>) {
  const result = schema.safeParse(form);
  if (result.success) return { data: result.data };
  const message = result.error.issues
    .map((issue) => (issue.code === "custom" || issue.message.includes(" ") ? issue.message : issue.path.join(".")))
    .join(" ");
  return { failure: { ok: false as const, status: 400, refusal: invalidForm(message) } };
}

function outcome(error: PostgrestError | null, status: number, versionId?: string): PlanningActionResult {
  if (!error) return { ok: true, versionId };
  const refusal = refusalOfPlanning(error, status);
  if (!refusal.reason && error.code !== "23505" && error.code !== "23503") {
    console.error(`planning action failed: ${error.code} ${error.message}`);
  }
  return { ok: false, status: status >= 400 && status < 500 ? status : 500, refusal };
}

const fromSource = (result: SourceCallResult): PlanningActionResult =>
  result.ok ? { ok: true } : { ok: false, status: result.status, refusal: result.refusal };

/** "Request changes" is a rejection whose notes say what to change (docs/database.md, Planning decisions). */
function decisionColumns(decision: "approved" | "rejected" | "request_changes", notes: string | null) {
  if (decision !== "request_changes") return { tester_decision: decision, tester_notes: notes };
  return { tester_decision: "rejected" as const, tester_notes: `Changes requested: ${notes}` };
}

/**
 * Runs the planning work a submitted form asks for. Every write goes to the database as the user; whether it
 * is allowed (role, assignment, version state) is the database's call and comes back as a refusal.
 */
export async function runPlanningAction(supabase: Client, form: FormData): Promise<PlanningActionResult> {
  const values = Object.fromEntries(form);
  const intent = String(values.intent ?? "");
  const versionId = uuid.safeParse(values.versionId).data;
  const id = uuid.safeParse(values.id).data;

  switch (intent) {
    case "create_version": {
      const phaseId = z.coerce.number().int().positive().safeParse(values.phaseId).data;
      if (!phaseId) break;
      const { data, error, status } = await supabase.rpc("create_version", { p_phase_id: phaseId });
      return outcome(error, status, data?.id);
    }
    case "submit_version": {
      if (!versionId) break;
      const { error, status } = await supabase.rpc("submit_version", { p_version_id: versionId });
      return outcome(error, status);
    }
    case "approve_version": {
      if (!versionId) break;
      const { error, status } = await supabase.rpc("approve_version", { p_version_id: versionId });
      return outcome(error, status);
    }
    case "reject_version": {
      if (!versionId) break;
      const reason = String(values.reason ?? "").trim();
      // The database refuses an empty reason too; saying so here keeps the typed text in the form.
      if (!reason) return { ok: false, status: 400, refusal: invalidForm("Say why the version is rejected.") };
      const { error, status } = await supabase.rpc("reject_version", { p_version_id: versionId, p_reason: reason });
      return outcome(error, status);
    }
    case "add_attribute": {
      if (!versionId) break;
      const { data, failure } = parse(attributeFields, values);
      if (failure) return failure;
      const { error, status } = await supabase.from("planning_attributes").insert({ ...data, version_id: versionId });
      return outcome(error, status);
    }
    case "update_attribute": {
      if (!id) break;
      const { data, failure } = parse(attributeFields, values);
      if (failure) return failure;
      const { error, status } = await supabase.from("planning_attributes").update(data).eq("id", id);
      return outcome(error, status);
    }
    case "add_mapping": {
      if (!versionId) break;
      const { data, failure } = parse(mappingFields, values);
      if (failure) return failure;
      const { criticality, risk_level, information_security, regulatory_flag, pii_flag, data_category, ...mapping } =
        data;
      const classification = { criticality, risk_level, information_security, regulatory_flag, pii_flag };
      const { error, status } = await supabase.from("planning_pde_mappings").insert({
        ...mapping,
        version_id: versionId,
        classification: data_category ? { ...classification, data_category } : classification,
      });
      return outcome(error, status);
    }
    case "delete_attribute":
    case "delete_mapping": {
      if (!id) break;
      const table = intent === "delete_attribute" ? "planning_attributes" : "planning_pde_mappings";
      const { error, status } = await supabase.from(table).delete().eq("id", id);
      return outcome(error, status);
    }
    case "decide": {
      const { data, failure } = parse(decisionFields, values);
      if (failure) return failure;
      if (data.decision === "request_changes" && !data.notes) {
        return { ok: false, status: 400, refusal: invalidForm("Say in the notes what should change.") };
      }
      const { error, status } = await supabase
        .from(itemTables[data.item])
        .update(decisionColumns(data.decision, data.notes))
        .eq("id", data.id);
      return outcome(error, status);
    }
    case "generate": {
      if (!versionId) break;
      const { data, failure } = parse(generationOptionsForm, values);
      if (failure) return failure;
      const queued = await requestGeneration(supabase, {
        versionId,
        kind: "attributes",
        regulatoryContext: data.regulatory_context,
        reportType: data.report_type,
      });
      return queued.ok ? { ok: true, jobId: queued.jobId } : queued;
    }
    case "add_database_source": {
      if (!versionId) break;
      const { data, failure } = parse(databaseFields, values);
      if (failure) return failure;
      return fromSource(await addDatabaseSource(supabase, versionId, data));
    }
    case "test_source": {
      if (!id) break;
      return fromSource(await testDatabaseSource(supabase, id));
    }
  }
  return { ok: false, status: 400, refusal: invalidForm("Reload the page and try again.") };
}
