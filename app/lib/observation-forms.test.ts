import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { createObservationForm, editObservationForm, moveObservationForm } from "./observation-forms";
import { conclusionForm } from "./test-report-forms";

const observationId = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";

describe("the observations page's and the test report's form schemas", () => {
  it("read a new observation, and want its title", () => {
    expect(
      createObservationForm.parse({ cycle_report_id: "7", title: " Misstated ", severity: "high", category: "other" }),
    ).toEqual({ cycle_report_id: 7, title: "Misstated", severity: "high", category: "other", condition: null });
    const result = createObservationForm.safeParse({ cycle_report_id: "7", title: "", severity: "x", category: "y" });
    expect(fieldErrorsOf(result.error!)).toEqual({
      title: "Give the observation a title.",
      severity: "Choose the severity.",
      category: "Choose the category.",
    });
  });

  it("check an edited field by what it is: a due date, a remediation owner, a title", () => {
    const edit = (field: string, value: string) =>
      editObservationForm.safeParse({ observation_id: observationId, field, value });
    expect(fieldErrorsOf(edit("due_date", "31/12/2031").error!)).toEqual({
      value: "Enter the due date as YYYY-MM-DD.",
    });
    expect(edit("due_date", "2031-12-31").success).toBe(true);
    expect(edit("due_date", "").success).toBe(true);
    expect(fieldErrorsOf(edit("remediation_owner_id", "someone").error!)).toEqual({
      value: "Choose the remediation owner from the list.",
    });
    expect(fieldErrorsOf(edit("title", " ").error!)).toEqual({ value: "Give the observation a title." });
    expect(edit("cause", "").success).toBe(true);
  });

  it("want a comment on every move", () => {
    const result = moveObservationForm.safeParse({ observation_id: observationId, to_status: "open", comment: " " });
    expect(fieldErrorsOf(result.error!)).toEqual({ comment: "Every move needs a comment." });
  });

  it("keep a conclusion within the column, and let it be cleared", () => {
    const versionId = observationId;
    expect(conclusionForm.parse({ version_id: versionId, conclusion: " " }).conclusion).toBe("");
    const result = conclusionForm.safeParse({ version_id: versionId, conclusion: "x".repeat(20_001) });
    expect(fieldErrorsOf(result.error!)).toEqual({ conclusion: "Keep the conclusion under 20,000 characters." });
  });
});
