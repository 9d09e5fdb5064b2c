// Requests to data providers (the data request and the requests for information): what the tester's requests
// page, the request page and the data provider's home read, and the moves they make. One module for both
// phases, as the database has one request machinery (docs/decisions/021-requests-to-data-providers.md).
import { createHash, randomBytes } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { addResponseDatabaseSource, uploadResponseCsv, type DatabaseSourceInput } from "./planning-sources.server";
import { refusalOf, type Refusal } from "./refusal";
import { type FieldErrors, fieldErrorsOf } from "./forms";
import {
  closeRequestForm,
  commentForm,
  newRequestsForm,
  newRequestsValues,
  requestFormIds,
  returnRequestForm,
} from "./requests-forms";

type Client = SupabaseClient<Database>;
type Insert<T extends keyof Database["public"]["Tables"]> = Database["public"]["Tables"][T]["Insert"];
// The database derives cycle_report_id (and a file's request_id) from the row a new row belongs to; clients do not send them.

export const requestPhases = {
  data_request: { title: "Data request", asks: "attribute" },
  request_info: { title: "Requests for information", asks: "sample_attribute" },
} as const;
export type RequestPhase = keyof typeof requestPhases;

export function requestPhaseOf(param: string | undefined): RequestPhase {
  if (param !== "data_request" && param !== "request_info") throw new Response("Not found", { status: 404 });
  return param;
}

export const evidenceBucket = "evidence";
export const evidenceMaxBytes = 25 * 1024 * 1024;

/** The evidence type of an uploaded file whose browser said nothing useful, by its extension. */
export const typesByExtension: Record<string, string> = {
  csv: "text/csv",
  pdf: "application/pdf",
  txt: "text/plain",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
export const evidenceTypes = [
  "text/csv",
  "application/pdf",
  "text/plain",
  "application/json",
  "image/png",
  "image/jpeg",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];

export type RequestStatus = Database["public"]["Enums"]["request_status"];

export interface RequestSummary {
  id: number;
  title: string;
  status: RequestStatus;
  isOverdue: boolean;
  dueDate: string | null;
  assignee: string | null;
  itemCount: number;
  responseCount: number;
  fileCount: number;
  returnReason: string | null;
  closeReason: string | null;
  phaseName: string;
  cycleReportId: number;
}

type Result =
  | { ok: true; id?: number }
  | {
      ok: false;
      status: number;
      refusal: Refusal;
      /** A form's problems beside its fields (field name → message), and which form they belong to. */
      fieldErrors?: FieldErrors;
      formId?: string;
    };

/** A form its schema refused: each problem beside its field of the form that sent it (requests-forms.ts). */
export function invalidFields(error: z.ZodError, formId: string): Result {
  const fieldErrors = fieldErrorsOf(error);
  const refusal = { title: "The request was not valid", message: Object.values(fieldErrors).join(" "), hint: null };
  return { ok: false, status: 400, refusal: { ...refusal, reason: null }, fieldErrors, formId };
}

export const invalid = (message: string): Result => ({
  ok: false,
  status: 400,
  refusal: { title: "The request was not valid", message, hint: null, reason: null },
});

function refused(
  error: { code: string; message: string; details: string | null; hint: string | null },
  status: number,
): Result {
  const refusal = refusalOf(error, status);
  if (!refusal.reason && error.code !== "42501") console.error(`request action failed: ${error.code} ${error.message}`);
  return { ok: false, status: status >= 400 && status < 500 ? status : 500, refusal };
}

async function names(supabase: Client, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const { data } = await supabase.from("profiles").select("id, full_name, email").in("id", wanted);
  return new Map((data ?? []).map((p) => [p.id, p.full_name || p.email]));
}

async function summaries(rows: Database["public"]["Views"]["request_summaries"]["Row"][], supabase: Client) {
  const people = await names(
    supabase,
    rows.map((r) => r.assignee_id),
  );
  return rows.map((r): RequestSummary => ({
    id: r.id!,
    title: r.title ?? "",
    status: r.status!,
    isOverdue: !!r.is_overdue,
    dueDate: r.due_date,
    assignee: r.assignee_id ? (people.get(r.assignee_id) ?? null) : null,
    itemCount: Number(r.item_count ?? 0),
    responseCount: Number(r.response_count ?? 0),
    fileCount: Number(r.file_count ?? 0),
    returnReason: r.return_reason,
    closeReason: r.close_reason,
    phaseName: r.phase_name ?? "",
    cycleReportId: r.cycle_report_id!,
  }));
}

/** The requests of one phase of a cycle report, newest first. */
export async function listPhaseRequests(supabase: Client, cycleReportId: number, phase: RequestPhase) {
  const { data, error } = await supabase
    .from("request_summaries")
    .select("*")
    .eq("cycle_report_id", cycleReportId)
    .eq("phase_name", phase)
    .order("id", { ascending: false });
  if (error) throw new Error(`requests of ${cycleReportId}: ${error.message}`);
  return summaries(data, supabase);
}

/** A data provider's requests: those awaiting them first, by due date, then those with the tester. */
export async function listAssignedRequests(supabase: Client, userId: string) {
  const { data, error } = await supabase
    .from("request_summaries")
    .select("*")
    .eq("assignee_id", userId)
    .in("status", ["sent", "returned", "responded"])
    .order("due_date", { ascending: true })
    .order("id");
  if (error) throw new Error(`assigned requests: ${error.message}`);
  const rows = await summaries(data, supabase);
  const awaiting = (s: RequestStatus) => (s === "responded" ? 1 : 0);
  return rows.sort((a, b) => awaiting(a.status) - awaiting(b.status));
}

export interface RequestableItems {
  attributes: { id: string; name: string; definition: string | null }[];
  samples: { id: string; key: string }[];
  providers: { id: string; name: string }[];
  phaseId: number | null;
  phaseStatus: string | null;
}

/**
 * What a tester may ask for in a phase: the in-scope attributes (the approved scoping version's decisions, or
 * every approved planning attribute when scoping was skipped) and, for requests for information, the approved
 * samples of the approved sample selection. The database checks each item again when it is added.
 */
export async function requestableItems(
  supabase: Client,
  cycleReportId: number,
  phase: RequestPhase,
): Promise<RequestableItems> {
  const [{ data: phases }, { data: versions }, { data: providers }] = await Promise.all([
    supabase.from("workflow_phases").select("id, phase_name, status").eq("cycle_report_id", cycleReportId),
    supabase
      .from("artifact_versions")
      .select("id, phase_name")
      .eq("cycle_report_id", cycleReportId)
      .eq("version_status", "approved"),
    supabase.from("profiles").select("id, full_name, email").eq("app_role", "data_provider").order("email"),
  ]);
  const versionOf = (name: string) => versions?.find((v) => v.phase_name === name)?.id ?? null;
  const planning = versionOf("planning");
  let attributes: RequestableItems["attributes"] = [];
  if (planning) {
    const { data } = await supabase
      .from("planning_attributes")
      .select("id, name, business_definition, description")
      .eq("version_id", planning)
      .eq("item_status", "approved")
      .order("name");
    attributes = (data ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      definition: a.business_definition ?? a.description,
    }));
    const scoping = versionOf("scoping");
    if (scoping) {
      const { data: decisions } = await supabase
        .from("scoping_decisions")
        .select("attribute_id")
        .eq("version_id", scoping)
        .eq("in_scope", true);
      const inScope = new Set((decisions ?? []).map((d) => d.attribute_id));
      attributes = attributes.filter((a) => inScope.has(a.id));
    }
  }
  let samples: RequestableItems["samples"] = [];
  const selection = versionOf("sample_selection");
  if (requestPhases[phase].asks === "sample_attribute" && selection) {
    const { data } = await supabase
      .from("sample_decisions")
      .select("id, sample_key")
      .eq("version_id", selection)
      .eq("item_status", "approved")
      .order("sample_key");
    samples = (data ?? []).map((s) => ({ id: s.id, key: s.sample_key }));
  }
  const row = phases?.find((p) => p.phase_name === phase);
  return {
    attributes,
    samples,
    providers: (providers ?? []).map((p) => ({ id: p.id, name: p.full_name || p.email })),
    phaseId: row?.id ?? null,
    phaseStatus: row?.status ?? null,
  };
}

/** Creates draft requests for the chosen items (one, or one per item), and sends them when asked to. */
export async function createRequests(supabase: Client, form: FormData): Promise<Result> {
  const parsed = newRequestsForm.safeParse(newRequestsValues(form));
  if (!parsed.success) return invalidFields(parsed.error, requestFormIds.create);
  const { attribute: attributes, sample: samples } = parsed.data;
  const items = samples.length
    ? samples.flatMap((sample) => attributes.map((attribute) => ({ attribute_id: attribute, sample_id: sample })))
    : attributes.map((attribute) => ({ attribute_id: attribute }));
  const { data, error, status } = await supabase.rpc("create_requests", {
    p_phase_id: parsed.data.phaseId,
    p_items: items,
    p_assignee_id: parsed.data.assignee,
    p_due_date: parsed.data.dueDate,
    p_title: parsed.data.title || undefined,
    p_instructions: parsed.data.instructions || undefined,
    p_one_request_per_item: parsed.data.grouping === "each",
  });
  if (error) return refused(error, status);
  if (parsed.data.send) {
    for (const request of data ?? []) {
      const sent = await supabase.rpc("send_request", { p_request_id: request.id });
      if (sent.error) return refused(sent.error, sent.status);
    }
  }
  return { ok: true };
}

const moveForm = z.object({
  intent: z.enum(["send", "accept", "return", "close", "comment"]),
  id: z.coerce.number().int().positive(),
  reason: z.string().optional(),
  body: z.string().optional(),
});

/** One move on one request (send, accept, return or close with a reason, a comment); the database decides. */
export async function runRequestMove(supabase: Client, form: FormData): Promise<Result> {
  const parsed = moveForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid("Reload the page and try again.");
  const { intent, id } = parsed.data;
  // What the user typed is checked by the form's schema, and said beside its field.
  const typed = { return: returnRequestForm, close: closeRequestForm, comment: commentForm }[intent as string];
  const checked = typed?.safeParse(Object.fromEntries(form));
  if (checked && !checked.success) return invalidFields(checked.error, requestFormIds[intent as "return"]);
  const { reason = "", body = "" } = (checked?.data ?? {}) as { reason?: string; body?: string };
  const call = () => {
    switch (intent) {
      case "send":
        return supabase.rpc("send_request", { p_request_id: id });
      case "accept":
        return supabase.rpc("accept_request", { p_request_id: id });
      case "return":
        return supabase.rpc("return_request", { p_request_id: id, p_reason: reason });
      case "close":
        return supabase.rpc("close_request", { p_request_id: id, p_reason: reason });
      case "comment":
        return supabase.from("request_comments").insert({ request_id: id, body } as Insert<"request_comments">);
    }
  };
  const { error, status } = await call();
  return error ? refused(error, status) : { ok: true };
}

export interface RequestDetail {
  id: number;
  cycleReportId: number;
  phaseName: string;
  title: string;
  instructions: string | null;
  status: RequestStatus;
  dueDate: string | null;
  isOverdue: boolean;
  assigneeId: string | null;
  assignee: string | null;
  returnReason: string | null;
  returnCount: number;
  closeReason: string | null;
  sentAt: string | null;
  items: { id: number; attribute: string; definition: string | null; sample: string | null }[];
  responses: {
    id: number;
    round: number;
    body: string | null;
    author: string | null;
    at: string;
    files: { id: string; name: string; type: string; size: number; sha256: string }[];
    sources: ResponseSourceView[];
  }[];
  comments: { id: number; author: string | null; body: string; at: string }[];
}

/** A data source given as a response to a data request: what the request page shows of it. */
export interface ResponseSourceView {
  id: string;
  name: string;
  attribute: string;
  sourceType: string;
  status: string;
  error: string | null;
  /** The table it was loaded into (uploads) or the external schema.table (database sources). */
  table: string;
  rowCount: number | null;
  columns: { name: string; type: string }[];
  accepted: boolean;
}

function sourceView(row: Database["public"]["Tables"]["request_data_sources"]["Row"]): ResponseSourceView {
  const columns = ((row.schema as { columns?: { name: string; type?: string; pgType?: string }[] } | null)?.columns ??
    []) as { name: string; type?: string; pgType?: string }[];
  return {
    id: row.id,
    name: row.name,
    attribute: row.attribute_name,
    sourceType: row.source_type,
    status: row.status,
    error: row.error,
    table:
      row.source_type === "database"
        ? `${row.host}:${row.port}/${row.database_name} ${row.schema_name}.${row.table_name}`
        : `${row.table_name}`,
    rowCount: row.row_count,
    columns: columns.map((c) => ({ name: c.name, type: c.type ?? c.pgType ?? "" })),
    accepted: !!row.accepted_at,
  };
}

/** A request with what it names, its responses and files, and its comments; null when absent or not visible. */
export async function getRequest(supabase: Client, id: number): Promise<RequestDetail | null> {
  const { data: r } = await supabase.from("requests").select("*").eq("id", id).maybeSingle();
  if (!r) return null;
  const [{ data: items }, { data: responses }, { data: files }, { data: sources }, { data: comments }] =
    await Promise.all([
      supabase.from("request_items").select("*").eq("request_id", id).order("attribute_name"),
      supabase.from("request_responses").select("*").eq("request_id", id).order("id"),
      supabase.from("request_files").select("*").eq("request_id", id).order("uploaded_at"),
      supabase.from("request_data_sources").select("*").eq("request_id", id).order("created_at"),
      supabase.from("request_comments").select("*").eq("request_id", id).order("id"),
    ]);
  const people = await names(supabase, [
    r.assignee_id,
    ...(responses ?? []).map((s) => s.author_id),
    ...(comments ?? []).map((c) => c.author_id),
  ]);
  const person = (uid: string | null) => (uid ? (people.get(uid) ?? null) : null);
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: r.id,
    cycleReportId: r.cycle_report_id,
    phaseName: r.phase_name,
    title: r.title,
    instructions: r.instructions,
    status: r.status,
    dueDate: r.due_date,
    isOverdue: (r.status === "sent" || r.status === "returned") && !!r.due_date && r.due_date < today,
    assigneeId: r.assignee_id,
    assignee: person(r.assignee_id),
    returnReason: r.return_reason,
    returnCount: r.return_count,
    closeReason: r.close_reason,
    sentAt: r.sent_at,
    items: (items ?? []).map((i) => ({
      id: i.id,
      attribute: i.attribute_name,
      definition: i.attribute_definition,
      sample: i.sample_label,
    })),
    responses: (responses ?? []).map((s) => ({
      id: s.id,
      round: s.round,
      body: s.body,
      author: person(s.author_id),
      at: s.created_at,
      files: (files ?? [])
        .filter((f) => f.response_id === s.id)
        .map((f) => ({ id: f.id, name: f.file_name, type: f.content_type, size: f.size_bytes, sha256: f.sha256 })),
      sources: (sources ?? []).filter((d) => d.response_id === s.id).map(sourceView),
    })),
    comments: (comments ?? []).map((c) => ({ id: c.id, author: person(c.author_id), body: c.body, at: c.created_at })),
  };
}

export interface EvidenceUpload {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A stored object's name: the request's folder, a random prefix, and the file's name in safe characters. */
export function evidencePath(cycleReportId: number, requestId: number, fileName: string): string {
  const base =
    fileName
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[^A-Za-z0-9]+/, "")
      .replace(/\.{2,}/g, ".")
      .slice(-120) || "file";
  return `${cycleReportId}/${requestId}/${randomBytes(6).toString("hex")}-${base}`;
}

/**
 * The assignee's response: its text, then each file uploaded to the evidence bucket and recorded with its
 * SHA-256, then the request handed back to the tester. Each step is the database's and the storage's to refuse.
 */
/**
 * A data source given with a response to a data request: a CSV loaded by the planning-sources function, or a
 * table of a database it connects to; for one item of the request (null: its only item).
 */
export type ResponseSource =
  | { kind: "upload"; name: string; itemId: number | null; bytes: Uint8Array }
  | { kind: "database"; itemId: number | null; input: DatabaseSourceInput };

export async function respond(
  supabase: Client,
  request: { id: number; cycleReportId: number },
  body: string,
  files: EvidenceUpload[],
  source: ResponseSource | null = null,
): Promise<Result> {
  if (!body.trim() && !files.length && !source) return invalid("Write an answer, attach a file or give a data source.");
  for (const file of files) {
    if (file.bytes.length > evidenceMaxBytes) return invalid(`${file.name} is larger than 25 MiB.`);
    if (!evidenceTypes.includes(file.type))
      return invalid(`${file.name} is not a CSV, PDF, text, JSON, PNG, JPEG, Excel or Word file.`);
  }
  const {
    data: response,
    error,
    status,
  } = await supabase
    .from("request_responses")
    .insert({ request_id: request.id, body: body.trim() || null } as Insert<"request_responses">)
    .select("id")
    .single();
  if (error) return refused(error, status);
  for (const file of files) {
    const path = evidencePath(request.cycleReportId, request.id, file.name);
    const stored = await supabase.storage.from(evidenceBucket).upload(path, file.bytes, { contentType: file.type });
    if (stored.error) {
      return {
        ok: false,
        status: 400,
        refusal: {
          title: "The file was not stored",
          message: `${file.name}: ${stored.error.message}`,
          hint: null,
          reason: "file_not_stored",
        },
      };
    }
    const recorded = await supabase.from("request_files").insert({
      response_id: response.id,
      object_path: path,
      file_name: file.name.slice(0, 255),
      content_type: file.type,
      size_bytes: file.bytes.length,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
    } as Insert<"request_files">);
    if (recorded.error) return refused(recorded.error, recorded.status);
  }
  if (source) {
    const given =
      source.kind === "upload"
        ? await uploadResponseCsv(supabase, response.id, source)
        : await addResponseDatabaseSource(supabase, response.id, { ...source.input, item_id: source.itemId });
    if (!given.ok) return given;
  }
  const handed = await supabase.rpc("respond_to_request", { p_request_id: request.id });
  return handed.error ? refused(handed.error, handed.status) : { ok: true };
}

/** A short-lived download address of an evidence file, after checking the stored bytes against the checksum. */
export async function evidenceDownload(
  supabase: Client,
  fileId: string,
): Promise<{ url: string; intact: boolean; name: string } | null> {
  const { data: file } = await supabase.from("request_files").select("*").eq("id", fileId).maybeSingle();
  if (!file) return null;
  const { data: blob } = await supabase.storage.from(evidenceBucket).download(file.object_path);
  const intact =
    !!blob &&
    createHash("sha256")
      .update(Buffer.from(await blob.arrayBuffer()))
      .digest("hex") === file.sha256;
  const { data } = await supabase.storage.from(evidenceBucket).createSignedUrl(file.object_path, 60, {
    download: file.file_name,
  });
  return data ? { url: data.signedUrl, intact, name: file.file_name } : null;
}
