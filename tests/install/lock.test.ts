// The committed lock file is what every install uses: it must be complete for every platform (so `npm ci`
// works and `npm install` leaves it as it is) and every package in it must run on the Node the README names.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";

// semver comes with npm's own dependencies; only these two functions are used.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string; major: number; minor: number } | null;
};
const root = path.resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  engines: { node: string };
};
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockedPackage>;
};
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** Where npm resolves `name` from the package at `at`: its own node_modules, then each parent's. */
function resolved(at: string, name: string): string | undefined {
  let base = at;
  for (;;) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent < 0 ? "" : base.slice(0, parent);
  }
}

describe("the lock file", () => {
  test("lists every optional package of every platform, so npm install adds nothing", () => {
    const missing = Object.entries(lock.packages).flatMap(([at, pkg]) =>
      Object.keys(pkg.optionalDependencies ?? {})
        .filter((name) => !resolved(at, name))
        .map((name) => `${at || "(root)"} → ${name}`),
    );
    expect(missing).toEqual([]);
  });

  test("every package runs on the oldest Node that package.json and the README allow", () => {
    const { version: oldest, major, minor } = semver.minVersion(manifest.engines.node)!;
    expect(readme).toContain(`Node ${major}.${minor} or later`);
    const refusing = Object.entries(lock.packages).flatMap(([at, pkg]) => {
      const node = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      return node && !semver.satisfies(oldest, node) ? [`${at} needs node ${node}`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
