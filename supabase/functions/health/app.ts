import { Hono } from "hono";
import { checkDatabase, type DatabaseHealth } from "../_shared/database.ts";

/** GET /health: whether the function runtime is up and the database answers. */
export function createHealthApp(check: () => Promise<DatabaseHealth> = () => checkDatabase()) {
  const app = new Hono().basePath("/health");
  app.get("/", async (c) => {
    const database = await check();
    return c.json({ status: database.reachable ? "ok" : "degraded", database }, database.reachable ? 200 : 503);
  });
  return app;
}
