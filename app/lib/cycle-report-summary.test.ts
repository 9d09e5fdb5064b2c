import { describe, expect, it } from "vitest";
import { awaitingOf, relationshipOf } from "./cycle-report-summary";
import { refusalOf } from "./refusal";

const versions = [
  { version_status: "draft", item_count: 10, tester_decided_count: 4 },
  { version_status: "pending_approval", item_count: 3, tester_decided_count: 3 },
];

describe("what awaits a user on a cycle report", () => {
  it("counts undecided draft items for its testers and pending versions for its owner", () => {
    const tester = relationshipOf({ id: "t", isAdmin: false }, "o", ["t"]);
    const owner = relationshipOf({ id: "o", isAdmin: false }, "o", ["t"]);
    const admin = relationshipOf({ id: "a", isAdmin: true }, "o", ["t"]);
    expect(awaitingOf(tester, versions)).toEqual({ decisions: 6, approvals: 0 });
    expect(awaitingOf(owner, versions)).toEqual({ decisions: 0, approvals: 1 });
    expect(awaitingOf(admin, versions)).toEqual({ decisions: 6, approvals: 1 });
  });
});

describe("refusal banners", () => {
  it("titles a coded refusal by its reason and keeps the database's message and hint", () => {
    const refusal = refusalOf(
      {
        code: "PT409",
        message: "The scoping phase cannot start before planning is completed.",
        details: "phase_dependencies_incomplete",
        hint: "Complete planning first.",
      },
      409,
    );
    expect(refusal).toEqual({
      title: "Earlier phases must be completed first",
      message: "The scoping phase cannot start before planning is completed.",
      hint: "Complete planning first.",
      reason: "phase_dependencies_incomplete",
    });
  });

  it("falls back to the HTTP status for reasons it does not know", () => {
    expect(refusalOf({ code: "PT403", message: "No.", details: "something_new", hint: null }, 403).title).toBe(
      "You are not allowed to do this",
    );
  });

  it("never shows the internals of an unexpected error", () => {
    const refusal = refusalOf({ code: "XX000", message: "internal: relation foo", details: null, hint: null }, 500);
    expect(refusal.message).not.toContain("relation foo");
    expect(refusal.reason).toBeNull();
  });
});
