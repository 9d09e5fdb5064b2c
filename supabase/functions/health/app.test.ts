import { describe, expect, it } from "vitest";
import { createHealthApp } from "./app.ts";

describe("health function", () => {
  it("answers 503 and says why when the database does not answer", async () => {
    const app = createHealthApp(async () => ({ reachable: false, error: "connect ECONNREFUSED" }));
    const response = await app.request("/health");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "degraded",
      database: { reachable: false, error: "connect ECONNREFUSED" },
    });
  });

  it("only serves its own base path", async () => {
    const response = await createHealthApp(async () => ({ reachable: true })).request("/other");
    expect(response.status).toBe(404);
  });
});
