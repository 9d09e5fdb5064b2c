import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { caseUploadForm, caseUploadMaxBytes, linkFileForm, referenceForm, resultForm } from "./testing-forms";

const hidden = { version_id: "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a", item_id: "6f1c2b0e-1d2a-4c3b-8e4f-5a6b7c8d9e0f" };

describe("test execution's form schemas", () => {
  it("read a result as the database takes it", () => {
    expect(resultForm.parse({ ...hidden, result: "pass", source_value: " 12 ", test_notes: "" })).toMatchObject({
      result: "pass",
      source_value: "12",
      test_notes: null,
      exception_description: null,
    });
  });

  it("want a result, and a failure's exception, each beside its field", () => {
    expect(fieldErrorsOf(resultForm.safeParse({ ...hidden }).error!)).toEqual({ result: "Choose the result." });
    expect(
      fieldErrorsOf(resultForm.safeParse({ ...hidden, result: "fail", exception_description: " " }).error!),
    ).toEqual({ exception_description: "A failed test needs the exception's description." });
    expect(
      fieldErrorsOf(resultForm.safeParse({ ...hidden, result: "pass", test_notes: "x".repeat(4001) }).error!),
    ).toEqual({ test_notes: "Keep the notes under 4,000 characters." });
  });

  it("want a reference's name and place, and a file of the list", () => {
    expect(fieldErrorsOf(referenceForm.safeParse({ ...hidden, name: " ", location: "" }).error!)).toEqual({
      name: "Name the document.",
      location: "Say where the document is kept.",
    });
    expect(fieldErrorsOf(linkFileForm.safeParse({ ...hidden, request_file_id: "x" }).error!)).toEqual({
      request_file_id: "Choose a file from the list.",
    });
  });

  it("want a file uploaded, not empty and not over 25 MiB", () => {
    const none = caseUploadForm.safeParse({ ...hidden, file: new File([], "") });
    expect(fieldErrorsOf(none.error!)).toEqual({ file: "Choose a file to upload." });
    const big = { size: caseUploadMaxBytes + 1 } as Blob;
    expect(fieldErrorsOf(caseUploadForm.safeParse({ ...hidden, file: big }).error!)).toEqual({
      file: "The file is larger than 25 MiB.",
    });
    expect(caseUploadForm.safeParse({ ...hidden, file: new File(["a,b"], "a.csv") }).success).toBe(true);
  });
});
