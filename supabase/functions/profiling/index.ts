import { authServerLookup } from "../_shared/auth.ts";
import { database } from "../_shared/database.ts";
import { requireEnv } from "../_shared/env.ts";
import { createProfilingApp } from "./app.ts";
import { createProfilingWorker, profilingWorkerOptionsFromEnv } from "./worker.ts";

// Rules run in this process: the worker starts with the function and is woken when a job is queued.
// PROFILING_WORKER=off leaves the work to standalone workers.
const worker =
  Deno.env.get("PROFILING_WORKER") === "off"
    ? undefined
    : createProfilingWorker(database(), profilingWorkerOptionsFromEnv());
worker?.start();

Deno.serve(
  createProfilingApp({
    url: requireEnv("SUPABASE_URL"),
    anonKey: requireEnv("SUPABASE_ANON_KEY"),
    lookupUser: authServerLookup(),
    onQueued: () => worker?.nudge(),
    sql: database(),
  }).fetch,
);
