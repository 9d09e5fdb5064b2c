import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "app/**/*.test.ts", "supabase/functions/**/*.test.ts", "devstack/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // supabase-js needs a global WebSocket, which Node 20 only has behind this flag.
    poolOptions: { forks: { execArgv: ["--experimental-websocket"], maxForks: 2, minForks: 1 } },
  },
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
