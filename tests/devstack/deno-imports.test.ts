// The four deno.json files pin the same package versions, and those admit package.json's: the check npm test runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { denoImportDrift } from "../../devstack/deno-imports.ts";

/** A repository of its own: package.json and one deno.json per function. */
function repo(node: Record<string, string>, functions: Record<string, Record<string, string>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "deno-imports-"));
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ dependencies: node }));
  for (const [name, imports] of Object.entries(functions)) {
    fs.mkdirSync(path.join(root, "supabase", "functions", name), { recursive: true });
    fs.writeFileSync(path.join(root, "supabase", "functions", name, "deno.json"), JSON.stringify({ imports }));
  }
  return root;
}

describe("deno.json versions", () => {
  it("agree in this repository", () => {
    expect(denoImportDrift()).toEqual([]);
  });

  it("pass when every function pins the range package.json installs", () => {
    const root = repo(
      { hono: "^4.13.19", "@supabase/supabase-js": "^2.119.1" },
      {
        a: { hono: "npm:hono@^4.13", "hono/": "npm:/hono@^4.13/" },
        b: { hono: "npm:hono@^4.13", "@supabase/supabase-js": "npm:@supabase/supabase-js@^2.119" },
      },
    );
    expect(denoImportDrift(root, ["a", "b"])).toEqual([]);
  });

  it("fail when two functions pin one package differently, or the functions differ from package.json", () => {
    const root = repo(
      { zod: "^3.25.76", postgres: "^3.4.9" },
      {
        a: { zod: "npm:zod@^3.25", postgres: "npm:postgres@^3.3" },
        b: { zod: "npm:zod@^3.24" },
      },
    );
    expect(denoImportDrift(root, ["a", "b"])).toEqual([
      "postgres is ^3.3 in the functions but ^3.4.9 in package.json",
      "zod is pinned differently: ^3.25 (supabase/functions/a/deno.json) vs ^3.24 (supabase/functions/b/deno.json)",
    ]);
  });
});
