import { describe, expect, it } from "vitest";
import { countOf, formatBytes } from "./format";

describe("countOf", () => {
  it("says one thing in the singular and any other count in the plural", () => {
    expect(countOf(1, "row")).toBe("1 row");
    expect(countOf(0, "row")).toBe("0 rows");
    expect(countOf(5000, "row")).toBe("5,000 rows");
    expect(countOf(2, "entry", "entries")).toBe("2 entries");
  });
});

describe("formatBytes", () => {
  it("says a limit as the upload function says it", () => {
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MB");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.5 MB");
  });
});
