import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { recommendForm, scopeForm } from "./scoping";

const versionId = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";
const itemId = "6f1c2b0e-1d2a-4c3b-8e4f-5a6b7c8d9e0f";

describe("the scoping forms' schemas", () => {
  it("read a decision's scope as its row sends it: blanks are null", () => {
    expect(
      scopeForm.parse({
        version_id: versionId,
        item_id: itemId,
        in_scope: "on",
        risk_rating: "",
        testing_approach: "both",
        rationale: " ",
      }),
    ).toEqual({
      version_id: versionId,
      item_id: itemId,
      in_scope: "on",
      risk_rating: null,
      testing_approach: "both",
      rationale: null,
    });
  });

  it("say beside the rationale that out of scope needs one, and beside a field a value not offered", () => {
    const outOfScope = { version_id: versionId, item_id: itemId, risk_rating: "", testing_approach: "" };
    expect(fieldErrorsOf(scopeForm.safeParse({ ...outOfScope, rationale: "  " }).error!)).toEqual({
      rationale: "An attribute left out of scope needs a rationale: say why it is not tested.",
    });
    expect(scopeForm.safeParse({ ...outOfScope, rationale: "Not reported" }).success).toBe(true);
    expect(
      fieldErrorsOf(
        scopeForm.safeParse({ ...outOfScope, in_scope: "on", risk_rating: "extreme", rationale: "x".repeat(4001) })
          .error!,
      ),
    ).toEqual({
      risk_rating: "Choose a risk: low, medium or high.",
      rationale: "A rationale is at most 4,000 characters.",
    });
  });

  it("read the recommend form's optional context within its limits", () => {
    expect(recommendForm.parse({ version_id: versionId, report_type: " FR Y-9C ", regulatory_context: "" })).toEqual({
      version_id: versionId,
      report_type: "FR Y-9C",
      regulatory_context: null,
    });
    expect(
      fieldErrorsOf(recommendForm.safeParse({ version_id: versionId, report_type: "x".repeat(201) }).error!),
    ).toEqual({
      report_type: "The report type is limited to 200 characters.",
    });
  });
});
