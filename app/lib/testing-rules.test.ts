// What a profiling rule's last run says of one sample's row, as the test case's side panel shows it (decision 031).
import { describe, expect, it } from "vitest";
import { lastRunOutcome } from "./testing";

const run = (failedCount: number, failedSample: unknown[], status = "completed") => ({
  status,
  failedCount,
  failedSample,
});

describe("a profiling rule's last run, for one sample's row", () => {
  it("failed when the row is among the run's failed rows, matched on the key column", () => {
    expect(lastRunOutcome(run(2, [{ loan_id: 7 }, { loan_id: "L-3" }]), "loan_id", "7")).toBe("failed");
    expect(lastRunOutcome(run(2, [{ loan_id: 7 }, { loan_id: "L-3" }]), "loan_id", "L-3")).toBe("failed");
  });

  it("passed when nothing failed, or the run kept every failed row and this one is not among them", () => {
    expect(lastRunOutcome(run(0, []), "loan_id", "7")).toBe("passed");
    expect(lastRunOutcome(run(1, [{ loan_id: 8 }]), "loan_id", "7")).toBe("passed");
  });

  it("not known when more rows failed than the run keeps, or the kept rows' keys are masked", () => {
    expect(lastRunOutcome(run(25, [{ loan_id: 8 }]), "loan_id", "7")).toBe("unknown");
    expect(lastRunOutcome(run(1, [{ loan_id: "***" }]), "loan_id", "7")).toBe("unknown");
    expect(lastRunOutcome(run(1, [{ other: 7 }]), "loan_id", "7")).toBe("unknown");
    expect(lastRunOutcome(run(1, [{ loan_id: 7 }]), null, "7")).toBe("unknown");
  });

  it("an error or no run says so", () => {
    expect(lastRunOutcome(run(0, [], "error"), "loan_id", "7")).toBe("error");
    expect(lastRunOutcome(null, "loan_id", "7")).toBe("not_run");
  });
});
