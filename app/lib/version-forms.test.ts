import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { decideForm, decideManyForm, readDecideMany, rejectForm } from "./version-forms";

const versionId = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";
const item = { version_id: versionId, item: "attribute", item_id: "1", side: "tester" };

describe("the version kit's form schemas", () => {
  it("want a rejection's reason, said beside the reason", () => {
    const result = rejectForm.safeParse({ version_id: versionId, reason: "   " });
    expect(fieldErrorsOf(result.error!)).toEqual({ reason: "Say why the version is rejected." });
    expect(rejectForm.parse({ version_id: versionId, reason: " Totals differ " }).reason).toBe("Totals differ");
  });

  it("want notes for a request for changes, not for an approval", () => {
    expect(fieldErrorsOf(decideForm.safeParse({ ...item, decision: "request_changes", notes: " " }).error!)).toEqual({
      notes: "Say in the notes what should change.",
    });
    expect(decideForm.parse({ ...item, decision: "approved" }).notes).toBeNull();
  });

  it("read a decision on many items from every ticked box, and want one", () => {
    const form = new FormData();
    const { item_id: _one, ...many } = item;
    for (const [k, v] of Object.entries({ ...many, decision: "rejected" })) form.set(k, v);
    expect(fieldErrorsOf(decideManyForm.safeParse(readDecideMany(form)).error!)).toEqual({
      item_id: "Choose the items to decide on.",
    });
    form.append("item_id", "1");
    form.append("item_id", "2");
    expect(decideManyForm.parse(readDecideMany(form)).item_id).toEqual(["1", "2"]);
  });
});
