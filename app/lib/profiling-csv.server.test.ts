import { describe, expect, it } from "vitest";
import { csvField } from "./profiling-csv.server";

describe("csvField", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvField("amount between 0 and 1,000")).toBe('"amount between 0 and 1,000"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
    expect(csvField(-5)).toBe("-5");
  });

  it("leaves missing values empty", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(false)).toBe("false");
  });
});
