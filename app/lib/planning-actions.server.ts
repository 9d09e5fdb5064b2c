import { z } from "zod";
import { generationRequestForm } from "./generation-options";
import { requestGeneration } from "./generation.server";
import { addDatabaseSourceForm, attributeFields, mappingFields, updateSourceForm } from "./planning-forms";
import { refusalOfPlanning } from "./planning-refusal";
import {
  addDatabaseSource,
  testDatabaseSource,
  type SourceCallResult,
  updateDatabaseSource,
} from "./planning-sources.server";
import type { DatabaseError } from "./refusal";
import {
  type ActionResult,
  type Client,
  changed,
  dispatchIntent,
  type Handler,
  handler,
  invalid,
  refused,
  uuid,
  versionActionHandlers,
  versionForm,
} from "./versions.server";
/** A write of planning work: constraint errors of forms are titled in words (refusalOfPlanning). */
async function written(
  intent: string,
  query: PromiseLike<{ error: DatabaseError | null; status: number }>,
  versionId: string | undefined,
  taken?: string,
): Promise<ActionResult> {
  const { error, status } = await query;
  if (error) return refused(intent, error, status, (e, s) => refusalOfPlanning(e, s, taken));
  return { ok: true, search: versionId ? { version: versionId } : {} };
}

const fromSource = (result: SourceCallResult, versionId?: string): ActionResult =>
  result.ok
    ? { ok: true, search: versionId ? { version: versionId } : {} }
    : { ok: false, status: result.status, refusal: result.refusal };

const attributeNameTaken = (name: string) =>
  `The name “${name}” is already taken by another attribute of this version; choose another.`;

/**
 * The table and column a mapping reads, from a data source of the version and a column its recorded schema lists;
 * null when the source is not the version's or the column not in its schema.
 */
async function sourceColumnOf(
  supabase: Client,
  versionId: string,
  source: { dataSourceId: string; column: string },
): Promise<{ source_table: string; source_column: string } | null> {
  const { data } = await supabase
    .from("planning_data_sources")
    .select("table_name, schema")
    .eq("id", source.dataSourceId)
    .eq("version_id", versionId)
    .maybeSingle();
  const columns = (data?.schema as { columns?: { name?: unknown }[] } | null)?.columns ?? [];
  if (!data?.table_name || !columns.some((c) => c.name === source.column)) return null;
  return { source_table: data.table_name, source_column: source.column };
}

const itemForm = z.object({ item_id: uuid, version_id: uuid.optional() });

/**
 * Planning's own intents beside the version kit's (create, submit, approve, reject, decide, decide many).
 * Every write goes to the database as the user; whether it is allowed (role, assignment, version state) is
 * the database's call and comes back as a refusal.
 */
const handlers: Record<string, Handler> = {
  ...versionActionHandlers({
    items: { attribute: "planning_attributes", mapping: "planning_pde_mappings", source: "planning_data_sources" },
  }),
  add_attribute: handler(
    versionForm.and(attributeFields),
    (supabase, { version_id, ...attribute }) =>
      written(
        "add_attribute",
        supabase.from("planning_attributes").insert({ ...attribute, version_id }),
        version_id,
        attributeNameTaken(attribute.name),
      ),
    { sayFields: true },
  ),
  update_attribute: handler(
    itemForm.and(attributeFields),
    (supabase, { item_id, version_id, ...attribute }) =>
      // A row RLS hides is neither changed nor an error: the returned row proves the change (changed()).
      changed(
        "update_attribute",
        supabase.from("planning_attributes").update(attribute).eq("id", item_id).select("id"),
        version_id ? { version: version_id } : {},
        (e, s) => refusalOfPlanning(e, s, attributeNameTaken(attribute.name)),
      ),
    { sayFields: true },
  ),
  add_mapping: handler(
    versionForm.and(mappingFields),
    async (supabase, { version_id, source, ...data }) => {
      const { criticality, risk_level, information_security, regulatory_flag, pii_flag, data_category, ...mapping } =
        data;
      const classification = { criticality, risk_level, information_security, regulatory_flag, pii_flag };
      const chosen = source
        ? await sourceColumnOf(supabase, version_id, source)
        : { source_table: null, source_column: null };
      if (!chosen)
        return invalid("Choose the source column from the list: that one is not in this version's data sources.");
      return written(
        "add_mapping",
        supabase.from("planning_pde_mappings").insert({
          ...mapping,
          ...chosen,
          version_id,
          classification: data_category ? { ...classification, data_category } : classification,
        }),
        version_id,
        `The PDE code “${mapping.pde_code}” is already mapped for this attribute; choose another.`,
      );
    },
    { sayFields: true },
  ),
  delete_attribute: handler(itemForm, (supabase, f) =>
    changed(
      "delete_attribute",
      supabase.from("planning_attributes").delete().eq("id", f.item_id).select("id"),
      f.version_id ? { version: f.version_id } : {},
    ),
  ),
  delete_mapping: handler(itemForm, (supabase, f) =>
    changed(
      "delete_mapping",
      supabase.from("planning_pde_mappings").delete().eq("id", f.item_id).select("id"),
      f.version_id ? { version: f.version_id } : {},
    ),
  ),
  generate: handler(
    generationRequestForm,
    async (supabase, f) => {
      const queued = await requestGeneration(supabase, {
        versionId: f.version_id,
        kind: "attributes",
        regulatoryContext: f.regulatory_context,
        reportType: f.report_type,
      });
      return queued.ok ? { ok: true, search: { version: f.version_id, job: queued.jobId } } : queued;
    },
    { sayFields: true },
  ),
  add_database_source: handler(
    addDatabaseSourceForm,
    async (supabase, { version_id, ...source }) =>
      fromSource(await addDatabaseSource(supabase, version_id, source), version_id),
    { sayFields: true },
  ),
  update_source: handler(
    updateSourceForm,
    async (supabase, f) => {
      const search: Record<string, string> = f.version_id ? { version: f.version_id } : {};
      if (f.source_type === "file_upload") {
        return changed(
          "update_source",
          supabase
            .from("planning_data_sources")
            .update({ name: f.name, description: f.description })
            .eq("id", f.item_id)
            .select("id"),
          search,
          (e, s) => refusalOfPlanning(e, s, `The name “${f.name}” is already taken in this version; choose another.`),
        );
      }
      const { item_id, version_id: _version, source_type: _type, password, ...source } = f;
      const updated = await updateDatabaseSource(supabase, item_id, { ...source, password: password || undefined });
      if (!updated.ok) return fromSource(updated, f.version_id);
      // The corrected connection is tested at once: its result (ready, or why it failed) is what the page shows.
      return fromSource(await testDatabaseSource(supabase, item_id), f.version_id);
    },
    { sayFields: true },
  ),
  delete_source: handler(itemForm.extend({ used_by: z.string().default("") }), (supabase, f) =>
    changed(
      "delete_source",
      supabase.from("planning_data_sources").delete().eq("id", f.item_id).select("id"),
      f.version_id ? { version: f.version_id } : {},
      (e, s) => {
        const refusal = refusalOfPlanning(e, s);
        return refusal.reason === "still_referenced"
          ? {
              ...refusal,
              message: `Attributes still read from this source${f.used_by ? ` (${f.used_by})` : ""}: point them at another source or remove them first.`,
            }
          : refusal;
      },
    ),
  ),
  test_source: handler(itemForm, async (supabase, f) =>
    fromSource(await testDatabaseSource(supabase, f.item_id), f.version_id),
  ),
};

/** Runs the planning work a submitted form asks for. */
export function runPlanningAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
