import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirect("/")).toBe("/");
    expect(safeRedirect("/cycles/3?tab=phases#top")).toBe("/cycles/3?tab=phases#top");
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["absolute URL", "https://evil.example/"],
    ["protocol-relative URL", "//evil.example"],
    ["backslash trick", "/\\evil.example"],
    ["tab trick", "/\t/evil.example"],
    ["newline trick", "/\n/evil.example"],
    ["relative path", "cycles"],
    ["javascript URL", "javascript:alert(1)"],
    ["the login page itself", "/login?redirectTo=/"],
  ])("falls back for a %s", (_label, to) => {
    expect(safeRedirect(to)).toBe("/");
    expect(safeRedirect(to, "/home")).toBe("/home");
  });
});
