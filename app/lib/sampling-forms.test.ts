import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { addSampleForm, requestSamplesForm, runForm } from "./sampling-forms";

const id = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";
const run = { version_id: id, data_source_id: id, key_column: "loan_id", method: "simple_random" };

describe("the sampling forms' schemas", () => {
  it("read a run from the calculator's inputs, blanks as null", () => {
    expect(runForm.parse({ ...run, confidence: "90", tolerable: "10", expected: "0", seed: "" })).toMatchObject({
      size_basis: "calculator",
      confidence: 90,
      tolerable: 10,
      expected: 0,
      seed: null,
      rule_id: [],
    });
  });

  it("say beside its field what each method needs", () => {
    const errors = (values: Record<string, unknown>) => fieldErrorsOf(runForm.safeParse({ ...run, ...values }).error!);
    expect(errors({ confidence: "150", expected: "1.5" })).toEqual({
      confidence: "The confidence level is below 100%.",
      expected: "Expected deviations is a whole number.",
    });
    expect(errors({ size_basis: "tester_set", size: "two" })).toEqual({
      size: "Set the sample size (a whole number), or use the calculator.",
    });
    expect(errors({ method: "stratified", allocation: "fixed", fixed_sizes: "north=three" })).toEqual({
      stratum_column: "Choose the column whose values are the strata.",
      fixed_sizes: "Give each stratum's size as stratum=count, separated by commas.",
    });
    expect(errors({ seed: "s".repeat(201) })).toEqual({ seed: "A seed is 1 to 200 characters." });
    expect(errors({ method: "targeted" })).toEqual({
      rule_id: "Choose the profiling rules whose exceptions are the candidates.",
    });
    expect(errors({ method: "judgmental", picks: "L00042" })).toEqual({
      picks: "List one key per line with the reason for picking it, as key: reason.",
    });
    // Targeted without a size takes every exception; judgmental has no size.
    expect(runForm.safeParse({ ...run, method: "targeted", rule_id: [id] }).success).toBe(true);
    expect(runForm.safeParse({ ...run, method: "judgmental", picks: "L00042: largest" }).success).toBe(true);
  });

  it("ask the owner's and the tester's reasons for samples", () => {
    expect(fieldErrorsOf(requestSamplesForm.safeParse({ version_id: id, sample_key: [], reason: " " }).error!)).toEqual(
      { sample_key: "Choose the samples to ask for.", reason: "Say why you ask for these samples." },
    );
    expect(fieldErrorsOf(addSampleForm.safeParse({ version_id: id, sample_key: "L1", reason: "" }).error!)).toEqual({
      reason: "Say why you add this sample.",
    });
  });
});
