import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "app/**/*.test.ts", "supabase/functions/**/*.test.ts", "devstack/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    minWorkers: 1,
  },
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
