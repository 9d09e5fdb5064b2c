import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./config.ts";
import { listFunctions } from "./functions.ts";

/**
 * Each edge function pins its npm packages in its own deno.json (Supabase deploys a function with its own
 * import map). The versions must not drift: a package has the same range in every deno.json, and that range
 * admits the version package.json installs for Node (where the same modules are unit-tested).
 */
export function denoImportDrift(root = repoRoot, functions = listFunctions()): string[] {
  const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const nodeRanges = { ...packageJson.devDependencies, ...packageJson.dependencies };
  const ranges = new Map<string, Map<string, string[]>>();
  for (const name of functions) {
    const file = path.join("supabase", "functions", name, "deno.json");
    const { imports = {} } = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as {
      imports?: Record<string, string>;
    };
    for (const specifier of Object.values(imports)) {
      const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)/.exec(specifier);
      if (!match) continue;
      const [, pkg = "", range = ""] = match;
      const byRange = ranges.get(pkg) ?? new Map<string, string[]>();
      byRange.set(range, [...(byRange.get(range) ?? []), file]);
      ranges.set(pkg, byRange);
    }
  }
  const problems: string[] = [];
  for (const [pkg, byRange] of [...ranges].sort(([a], [b]) => a.localeCompare(b))) {
    if (byRange.size > 1) {
      const said = [...byRange].map(([range, files]) => `${range} (${files.join(", ")})`).join(" vs ");
      problems.push(`${pkg} is pinned differently: ${said}`);
      continue;
    }
    const [range = ""] = byRange.keys();
    const node = nodeRanges[pkg];
    if (node && !(node === range || node.startsWith(`${range}.`))) {
      problems.push(`${pkg} is ${range} in the functions but ${node} in package.json`);
    }
  }
  return problems;
}
