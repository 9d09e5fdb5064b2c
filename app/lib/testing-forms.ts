// Test execution's form schemas, read by the browser (errors beside their fields before anything is sent) and by
// the server (testing-actions.server.ts), so both say the same about the same values.
import { z } from "zod";
import { testResults } from "./testing";
import { uuid, versionForm } from "./version-forms";

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${what} under ${max.toLocaleString("en-US")} characters.`)
    .optional()
    .transform((v) => v || null);

const caseForm = versionForm.extend({ item_id: uuid });

/** The result form of the side panel: what the preparer records for one test case (limits as test_cases has them). */
export const resultForm = caseForm
  .extend({
    result: z.enum(testResults.map((r) => r.value) as [string, ...string[]], {
      errorMap: () => ({ message: "Choose the result." }),
    }),
    source_value: optionalText(10_000, "source value"),
    expected_value: optionalText(10_000, "expected value"),
    exception_description: optionalText(4_000, "exception"),
    test_notes: optionalText(4_000, "notes"),
  })
  // The database refuses it too (exception_description_required); said here, beside the field.
  .refine((f) => f.result !== "fail" || f.exception_description, {
    message: "A failed test needs the exception's description.",
    path: ["exception_description"],
  });

/** A file of a request for information linked to the case. */
export const linkFileForm = caseForm.extend({
  request_file_id: z.string({ required_error: "Choose a file." }).uuid("Choose a file from the list."),
});

/** A document kept elsewhere, referenced by its name and where it is. */
export const referenceForm = caseForm.extend({
  name: z.string().trim().min(1, "Name the document.").max(255, "Keep the name under 255 characters."),
  location: z
    .string()
    .trim()
    .min(1, "Say where the document is kept.")
    .max(2000, "Keep where it is kept under 2,000 characters."),
});

export const unlinkForm = caseForm.extend({ evidence_id: uuid });

/** The largest file uploaded on a test case (as the evidence bucket takes it). */
export const caseUploadMaxBytes = 25 * 1024 * 1024;

/** A file uploaded on a test case: one is chosen and not too large (its type is checked by the server). */
export const caseUploadForm = caseForm.extend({
  file: z
    .custom<Blob>((v) => typeof v === "object" && v !== null && "size" in v && (v as Blob).size > 0, {
      message: "Choose a file to upload.",
    })
    .refine((v) => v.size <= caseUploadMaxBytes, "The file is larger than 25 MiB."),
});
