import process from "node:process";
import { authServerLookup } from "../_shared/auth.ts";
import { database } from "../_shared/database.ts";
import { requireEnv } from "../_shared/env.ts";
import { createGenerationWorker, generationWorkerOptionsFromEnv } from "../_shared/generation/worker.ts";
import { createGenerationApp } from "./app.ts";

// Proposals are generated in this process: the worker starts with the function and is woken when a job is
// queued. GENERATION_WORKER=off leaves the work to standalone workers.
const worker =
  process.env.GENERATION_WORKER === "off"
    ? undefined
    : createGenerationWorker(database(), generationWorkerOptionsFromEnv());
worker?.start();

Deno.serve(
  createGenerationApp({
    url: requireEnv("SUPABASE_URL"),
    anonKey: requireEnv("SUPABASE_ANON_KEY"),
    lookupUser: authServerLookup(),
    onQueued: () => worker?.nudge(),
  }).fetch,
);
