import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { fieldErrorsOf } from "./forms";
import {
  decideForm,
  decideManyForm,
  type decisionChoice,
  readDecideMany,
  rejectForm,
  versionForm,
} from "./version-forms";
import type { Database } from "~/types/database";
import { formatTime, personName, type Stamp } from "./format";
import { readAll } from "./read-all.server";
import { type DatabaseError, type Refusal, refusalOfWrite } from "./refusal";
import { refusalTitles } from "./refusal-titles";

/**
 * The version-workspace kit, server side: one action-dispatch pattern and one field naming for every phase's
 * workspace, and the version lifecycle (create, submit, approve, reject, decide one item, decide many).
 *
 * Forms post `intent` and snake_case fields named like the database's columns: `phase_id`, `version_id`,
 * `item` (which item table of the phase), `item_id` (repeated for many), `decision`, `notes`, `reason`.
 * Each intent has a handler whose zod schema parses the form before anything reaches the database; whether
 * the action is allowed (role, assignment, version state) is the database's call and comes back as a refusal.
 */

export type Client = SupabaseClient<Database>;
type Enums = Database["public"]["Enums"];
export type VersionStatus = Enums["version_status"];
export type ItemStatus = Enums["item_status"];
export type Decision = Enums["review_decision"];
export type DecisionSide = "tester" | "report_owner";

/** A version of any phase as the workspaces show it: state, counters, and who moved it when. */
export interface VersionView {
  id: string;
  number: number;
  status: VersionStatus;
  parentVersionId: string | null;
  /** The approved version of the phase's basis phase this version is built from (phase_definitions.basis_phase). */
  basisVersionId: string | null;
  itemCount: number;
  testerDecided: number;
  ownerDecided: number;
  created: string | null;
  submitted: Stamp;
  approved: Stamp;
  rejected: Stamp & { reason: string | null };
  /** What generation left on the version (artifact_versions.generation_summary), for the phase to read. */
  generationSummary: Database["public"]["Tables"]["artifact_versions"]["Row"]["generation_summary"];
}

const versionSelect = `id, version_number, version_status, parent_version_id, based_on_version_id, item_count,
  tester_decided_count, owner_decided_count, created_at, submitted_at, approved_at, rejected_at, rejection_reason,
  generation_summary,
  submitter:profiles!submitted_by(full_name, email),
  approver:profiles!approved_by(full_name, email),
  rejecter:profiles!rejected_by(full_name, email)`;

/** Every version of a phase, newest first, with who moved it and its counters. */
export async function listVersions(supabase: Client, phaseId: number): Promise<VersionView[]> {
  const data = await readAll("versions query", (from, to) =>
    supabase
      .from("artifact_versions")
      .select(versionSelect)
      .eq("phase_id", phaseId)
      .order("version_number", { ascending: false })
      .range(from, to),
  );
  return data.map((v) => ({
    id: v.id,
    number: v.version_number,
    status: v.version_status,
    parentVersionId: v.parent_version_id,
    basisVersionId: v.based_on_version_id,
    itemCount: v.item_count,
    testerDecided: v.tester_decided_count,
    ownerDecided: v.owner_decided_count,
    created: formatTime(v.created_at),
    submitted: { by: personName(v.submitter), at: formatTime(v.submitted_at) },
    approved: { by: personName(v.approver), at: formatTime(v.approved_at) },
    rejected: { by: personName(v.rejecter), at: formatTime(v.rejected_at), reason: v.rejection_reason },
    generationSummary: v.generation_summary,
  }));
}

/** Where to go after a successful action (the workspace's query), or why it was refused. */
export type ActionResult =
  | { ok: true; search: Record<string, string> }
  | {
      ok: false;
      status: number;
      refusal: Refusal;
      /** A form's problems beside its fields (field name → message), and which form they belong to. */
      fieldErrors?: Partial<Record<string, string>>;
      formId?: string;
    };

export type Handler = (
  supabase: Client,
  values: Record<string, FormDataEntryValue>,
  form: FormData,
) => Promise<ActionResult>;

export { uuid } from "./version-forms";
const positiveId = z.coerce.number().int().positive();

/** A form the app refuses before the database sees it. */
export const invalid = (message: string): Extract<ActionResult, { ok: false }> => ({
  ok: false,
  status: 400,
  refusal: { title: refusalTitles.invalid_form!, message, hint: null, reason: "invalid_form" },
});

/** A form its schema refused, with every problem said in the schema's words. */
export const invalidFields = (error: z.ZodError): Extract<ActionResult, { ok: false }> =>
  invalid(
    error.issues
      // A schema's own sentences are said as they are; zod's one-word defaults ("Required") name the field.
      .map((issue) => (issue.code === "custom" || issue.message.includes(" ") ? issue.message : issue.path.join(".")))
      .join(" "),
  );

const notVisible: ActionResult = {
  ok: false,
  status: 404,
  refusal: {
    title: "Not found",
    message: "This item does not exist or is not visible to you. Reload the page.",
    hint: null,
    reason: null,
  },
};

/** A refusal of the database (or an edge function), titled from the one map of refusal titles. */
export function refused(
  intent: string,
  error: DatabaseError,
  status: number,
  // Constraint errors of forms (a taken name, a row still referred to) in words; the rest as refusalOf says it.
  titleOf: (error: DatabaseError, status: number) => Refusal = refusalOfWrite,
): ActionResult {
  const refusal = titleOf(error, status);
  if (!refusal.reason) console.error(`${intent} failed: ${error.code} ${error.message}`);
  // Anything but a refusal by the rules is the server's failure, not the user's.
  return { ok: false, status: status >= 400 && status < 500 ? status : 500, refusal };
}

/** An update or delete that RLS filtered out changes nothing and raises nothing; a returned row proves it. */
export async function changed(
  intent: string,
  query: PromiseLike<{ data: unknown[] | null; error: DatabaseError | null; status: number }>,
  search: Record<string, string>,
  titleOf?: (error: DatabaseError, status: number) => Refusal,
): Promise<ActionResult> {
  const { data, error, status } = await query;
  if (error) return refused(intent, error, status, titleOf);
  return data?.length ? { ok: true, search } : notVisible;
}

/** A handler whose form is parsed by its schema first; a malformed form never reaches the database. */
export function handler<T extends z.ZodTypeAny>(
  schema: T,
  run: (supabase: Client, form: z.infer<T>, values: Record<string, FormDataEntryValue>) => Promise<ActionResult>,
  options: { sayFields?: boolean } = {},
): Handler {
  return async (supabase, values) => {
    const parsed = schema.safeParse(values);
    if (parsed.success) return run(supabase, parsed.data, values);
    // Fields the user typed are said in the schema's words; hidden fields only go wrong on a stale page.
    if (!options.sayFields) return invalid("Reload the page and try again.");
    return fieldsRefused(parsed.error, values);
  };
}

/** A form its schema refused: said beside the fields of the form that sent them (its form_id, else `fallbackFormId`),
 * and in the banner's words for a form without either. */
export function fieldsRefused(
  error: z.ZodError,
  values: Record<string, FormDataEntryValue>,
  fallbackFormId?: string,
): ActionResult {
  const formId = typeof values.form_id === "string" && values.form_id ? values.form_id : fallbackFormId;
  return { ...invalidFields(error), fieldErrors: fieldErrorsOf(error), formId };
}

/** Runs the handler of the form's `intent`; an unknown intent is a stale page. */
export async function dispatchIntent(
  supabase: Client,
  form: FormData,
  handlers: Record<string, Handler>,
): Promise<ActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (!Object.hasOwn(handlers, intent)) return invalid("Reload the page and try again.");
  return handlers[intent]!(supabase, Object.fromEntries(form), form);
}

// The lifecycle -----------------------------------------------------------------------------------------------

export { decideForm, decideManyForm, decisionChoice, rejectForm, versionForm } from "./version-forms";

function decisionOf(decision: z.infer<typeof decisionChoice>, text: string | null) {
  if (decision !== "request_changes") return { decision, notes: text };
  return { decision: "rejected" as const, notes: `Changes requested: ${text}` };
}

/** The item tables of the phases built so far (each attached with private.attach_versioned_items). */
export type ItemTable =
  | "planning_data_sources"
  | "planning_attributes"
  | "planning_pde_mappings"
  | "scoping_decisions"
  | "profiling_rules"
  | "sample_decisions"
  | "test_cases"
  | "test_reports";

/** Every item table has the same lineage and decision columns (attach_versioned_items): typed as one of them. */
const itemRows = (supabase: Client, table: ItemTable) => supabase.from(table as "profiling_rules");

export interface VersionKitOptions {
  /** The phase's item tables by the `item` a form names (e.g. `attribute: "planning_attributes"`). */
  items: Record<string, ItemTable>;
}

/** The lifecycle handlers every phase's workspace shares; a phase adds its own intents beside them. */
export function versionActionHandlers({ items }: VersionKitOptions): Record<string, Handler> {
  const tableOf = (item: string) => (Object.hasOwn(items, item) ? items[item] : undefined);
  const lifecycle = (name: "submit_version" | "approve_version"): Handler =>
    handler(versionForm, async (supabase, f) => {
      const { error, status } = await supabase.rpc(name, { p_version_id: f.version_id });
      return error ? refused(name, error, status) : { ok: true, search: { version: f.version_id } };
    });
  return {
    create_version: handler(z.object({ phase_id: positiveId }), async (supabase, f) => {
      const { data, error, status } = await supabase.rpc("create_version", { p_phase_id: f.phase_id });
      if (error) return refused("create_version", error, status);
      return { ok: true, search: { version: data.id } };
    }),
    submit_version: lifecycle("submit_version"),
    approve_version: lifecycle("approve_version"),
    reject_version: handler(
      rejectForm,
      async (supabase, f) => {
        const { error, status } = await supabase.rpc("reject_version", {
          p_version_id: f.version_id,
          p_reason: f.reason,
        });
        return error ? refused("reject_version", error, status) : { ok: true, search: { version: f.version_id } };
      },
      { sayFields: true },
    ),
    decide: handler(
      decideForm,
      async (supabase, f) => {
        const table = tableOf(f.item);
        if (!table) return invalid("Reload the page and try again.");
        const { decision, notes } = decisionOf(f.decision, f.notes);
        const columns =
          f.side === "tester"
            ? { tester_decision: decision, tester_notes: notes }
            : { report_owner_decision: decision, report_owner_notes: notes };
        return changed(
          "decide",
          itemRows(supabase, table).update(columns).eq("id", f.item_id).eq("version_id", f.version_id).select("id"),
          { version: f.version_id },
        );
      },
      { sayFields: true },
    ),
    decide_many: async (supabase, values, form) => {
      const parsed = decideManyForm.safeParse(readDecideMany(form));
      if (!parsed.success) return fieldsRefused(parsed.error, values);
      const f = parsed.data;
      const table = tableOf(f.item);
      if (!table) return invalid("Reload the page and try again.");
      const { decision, notes } = decisionOf(f.decision, f.notes);
      const { error, status } = await supabase.rpc("decide_items", {
        p_version_id: f.version_id,
        p_item_table: `public.${table}`,
        p_item_ids: f.item_id,
        p_side: f.side,
        p_decision: decision,
        p_notes: notes ?? undefined,
      });
      return error ? refused("decide_many", error, status) : { ok: true, search: { version: f.version_id } };
    },
  };
}
