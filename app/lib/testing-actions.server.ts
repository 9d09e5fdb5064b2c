import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Database } from "~/types/database";
import { evidenceMaxBytes, evidenceTypes } from "./requests.server";
import { caseEvidenceName, testResults } from "./testing";
import {
  type ActionResult,
  changed,
  type Client,
  dispatchIntent,
  type Handler,
  handler,
  invalid,
  uuid,
  versionActionHandlers,
  versionForm,
} from "./versions.server";

const optionalText = z
  .string()
  .trim()
  .max(10_000)
  .optional()
  .transform((v) => v || null);

/** The result form of the side panel: what the preparer records for one test case. */
export const resultForm = versionForm.extend({
  item_id: uuid,
  result: z.enum(testResults.map((r) => r.value) as [string, ...string[]], {
    errorMap: () => ({ message: "Choose the result." }),
  }),
  source_value: optionalText,
  expected_value: optionalText,
  exception_description: optionalText,
  test_notes: optionalText,
});

/** The database sets a link's version and cycle report (and an RFI file's name, type, size and checksum). */
type EvidenceInsert = Database["public"]["Tables"]["test_case_evidence"]["Insert"];

const linkFileForm = versionForm.extend({ item_id: uuid, request_file_id: uuid });
const referenceForm = versionForm.extend({
  item_id: uuid,
  name: z.string().trim().min(1, "Name the document.").max(255),
  location: z.string().trim().min(1, "Say where the document is kept.").max(2000),
});
const unlinkForm = versionForm.extend({ item_id: uuid, evidence_id: uuid });

/** A file uploaded on a test case, as the multipart form brought it. */
export interface CaseUpload {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/**
 * Uploads a file on a test case into the evidence bucket (<cycle report id>/cases/<test case id>/…) and links it;
 * the storage policies and the database decide whether the caller may.
 */
export async function uploadCaseEvidence(
  supabase: Client,
  target: { cycleReportId: number; versionId: string; caseId: string },
  file: CaseUpload | null,
): Promise<ActionResult> {
  if (!uuid.safeParse(target.caseId).success || !uuid.safeParse(target.versionId).success)
    return invalid("Reload the page and try again.");
  if (!file) return invalid("Choose a file to upload.");
  if (file.bytes.length > evidenceMaxBytes) return invalid(`${file.name} is larger than 25 MiB.`);
  if (!evidenceTypes.includes(file.type))
    return invalid(`${file.name} is not a CSV, PDF, text, JSON, PNG, JPEG, Excel or Word file.`);
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
