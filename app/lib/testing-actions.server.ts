import { createHash, randomBytes } from "node:crypto";
import type { Database } from "~/types/database";
import { evidenceMaxBytes, evidenceTypes, typesByExtension } from "./requests.server";
import { caseEvidenceName } from "./testing";
import { caseUploadForm, linkFileForm, referenceForm, resultForm, unlinkForm } from "./testing-forms";
import {
  type ActionResult,
  changed,
  type Client,
  dispatchIntent,
  fieldsRefused,
  type Handler,
  handler,
  invalid,
  versionActionHandlers,
} from "./versions.server";

/** The database sets a link's version and cycle report (and an RFI file's name, type, size and checksum). */
type EvidenceInsert = Database["public"]["Tables"]["test_case_evidence"]["Insert"];

/**
 * Uploads a file on a test case into the evidence bucket (<cycle report id>/cases/<test case id>/…) and links it;
 * the storage policies and the database decide whether the caller may. The multipart form is read by its schema
 * (testing-forms.ts): no file, or one too large or of a type not taken, is said beside the file field.
 */
export async function uploadCaseEvidence(
  supabase: Client,
  cycleReportId: number,
  form: FormData,
): Promise<ActionResult> {
  const values = Object.fromEntries(form);
  const parsed = caseUploadForm.safeParse(values);
  if (!parsed.success) return fieldsRefused(parsed.error, values);
  const entry = parsed.data.file;
  const name = entry instanceof File && entry.name ? entry.name : "file";
  const extension = name.split(".").pop()?.toLowerCase() ?? "";
  const file = {
    name,
    type: entry.type && entry.type !== "application/octet-stream" ? entry.type : (typesByExtension[extension] ?? ""),
    bytes: new Uint8Array(await entry.arrayBuffer()),
  };
  const target = { cycleReportId, versionId: parsed.data.version_id, caseId: parsed.data.item_id };
  if (file.bytes.length > evidenceMaxBytes) return fileRefused(values, `${file.name} is larger than 25 MiB.`);
  if (!evidenceTypes.includes(file.type))
    return fileRefused(values, `${file.name} is not a CSV, PDF, text, JSON, PNG, JPEG, Excel or Word file.`);
  const path = `${target.cycleReportId}/cases/${target.caseId}/${randomBytes(6).toString("hex")}-${caseEvidenceName(file.name)}`;
  const stored = await supabase.storage.from("evidence").upload(path, file.bytes, { contentType: file.type });
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
  return changed(
    "upload_evidence",
    supabase
      .from("test_case_evidence")
      .insert({
        test_case_id: target.caseId,
        kind: "upload",
        object_path: path,
        file_name: file.name.slice(0, 255),
        content_type: file.type,
        size_bytes: file.bytes.length,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
      } as EvidenceInsert)
      .select("id"),
    { version: target.versionId, case: target.caseId },
  );
}

/** A file the server will not take, said beside the upload's file field. */
function fileRefused(values: Record<string, FormDataEntryValue>, message: string): ActionResult {
  const formId = typeof values.form_id === "string" && values.form_id ? values.form_id : undefined;
  return { ...invalid(message), fieldErrors: { file: message }, formId };
}

/** Test execution's own intents beside the version kit's (create, submit, approve, reject, decide, decide many). */
const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { test_case: "test_cases" } }),
  save_result: handler(
    resultForm,
    async (supabase, f) =>
      changed(
        "save_result",
        supabase
          .from("test_cases")
          .update({
            result: f.result,
            source_value: f.source_value,
            expected_value: f.expected_value,
            exception_description: f.exception_description,
            test_notes: f.test_notes,
          })
          .eq("id", f.item_id)
          .eq("version_id", f.version_id)
          .select("id"),
        { version: f.version_id, case: f.item_id },
      ),
    { sayFields: true },
  ),
  link_rfi_file: handler(linkFileForm, async (supabase, f) =>
    changed(
      "link_rfi_file",
      supabase
        .from("test_case_evidence")
        // The database copies the file's name, type, size and checksum from the response's file.
        .insert({
          test_case_id: f.item_id,
          kind: "rfi_file",
          request_file_id: f.request_file_id,
          file_name: "-",
        } as EvidenceInsert)
        .select("id"),
      { version: f.version_id, case: f.item_id },
    ),
  ),
  link_reference: handler(
    referenceForm,
    async (supabase, f) =>
      changed(
        "link_reference",
        supabase
          .from("test_case_evidence")
          .insert({
            test_case_id: f.item_id,
            kind: "reference",
            file_name: f.name,
            location: f.location,
          } as EvidenceInsert)
          .select("id"),
        { version: f.version_id, case: f.item_id },
      ),
    { sayFields: true },
  ),
  unlink_evidence: handler(unlinkForm, async (supabase, f) =>
    changed(
      "unlink_evidence",
      supabase.from("test_case_evidence").delete().eq("id", f.evidence_id).eq("test_case_id", f.item_id).select("id"),
      { version: f.version_id, case: f.item_id },
    ),
  ),
};

/** Runs what a submitted workspace form asks for; the database decides. */
export function runTestingAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
