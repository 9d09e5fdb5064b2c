import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { transitionForm } from "./workflow-forms";

describe("the cycle report's transition schema", () => {
  it("wants a reason to skip or reopen a phase, not to start one", () => {
    expect(fieldErrorsOf(transitionForm.safeParse({ intent: "skip_phase", id: "3", reason: " " }).error!)).toEqual({
      reason: "Say why the phase is skipped.",
    });
    expect(fieldErrorsOf(transitionForm.safeParse({ intent: "reopen_phase", id: "3" }).error!)).toEqual({
      reason: "Say why the phase is reopened.",
    });
    expect(transitionForm.parse({ intent: "start_phase", id: "3" })).toEqual({
      intent: "start_phase",
      id: 3,
      reason: "",
    });
    expect(transitionForm.parse({ intent: "skip_phase", id: "3", reason: " Agreed " }).reason).toBe("Agreed");
  });

  it("keeps the reason within 2,000 characters", () => {
    const result = transitionForm.safeParse({ intent: "skip_phase", id: "3", reason: "x".repeat(2001) });
    expect(fieldErrorsOf(result.error!)).toEqual({ reason: "Keep the reason under 2,000 characters." });
  });
});
