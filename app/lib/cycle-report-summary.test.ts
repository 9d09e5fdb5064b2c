import { describe, expect, it } from "vitest";
import { awaitingOf, relationshipOf } from "./cycle-report-summary";
import { refusalOf } from "./refusal";

const version = { item_count: 0, tester_decided_count: 0, owner_decided_count: 0, owner_item_review: false };
const tester = relationshipOf({ id: "t", isAdmin: false }, "o", ["t"]);
const owner = relationshipOf({ id: "o", isAdmin: false }, "o", ["t"]);
const admin = relationshipOf({ id: "a", isAdmin: true }, "o", ["t"]);
const other = relationshipOf({ id: "x", isAdmin: false }, "o", ["t"]);

describe("what awaits a user on a cycle report", () => {
  it("counts undecided draft items for its testers and pending versions for its owner", () => {
    const versions = [
      { ...version, version_status: "draft", item_count: 10, tester_decided_count: 4 },
      // Planning has no owner item review: the owner only approves the version.
      { ...version, version_status: "pending_approval", item_count: 3, tester_decided_count: 3 },
    ];
    expect(awaitingOf(tester, versions)).toEqual({ decisions: 6, approvals: 0 });
    expect(awaitingOf(owner, versions)).toEqual({ decisions: 0, approvals: 1 });
    expect(awaitingOf(admin, versions)).toEqual({ decisions: 6, approvals: 1 });
    expect(awaitingOf(other, versions)).toEqual({ decisions: 0, approvals: 0 });
  });

  it("counts the owner's undecided items of pending versions in phases with owner item review", () => {
    const versions = [
      // Data profiling awaiting approval: 2 of 5 rules decided by the owner.
      {
        version_status: "pending_approval",
        item_count: 5,
        tester_decided_count: 5,
        owner_decided_count: 2,
        owner_item_review: true,
      },
      // Sample selection still in draft: nothing for the owner yet, 4 samples for the tester.
      { ...version, version_status: "draft", item_count: 4, owner_item_review: true },
    ];
    expect(awaitingOf(owner, versions)).toEqual({ decisions: 3, approvals: 1 });
    expect(awaitingOf(tester, versions)).toEqual({ decisions: 4, approvals: 0 });
    expect(awaitingOf(admin, versions)).toEqual({ decisions: 7, approvals: 1 });
    // Fully decided by the owner: only the approval remains.
    expect(awaitingOf(owner, [{ ...versions[0]!, owner_decided_count: 5 }])).toEqual({ decisions: 0, approvals: 1 });
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
