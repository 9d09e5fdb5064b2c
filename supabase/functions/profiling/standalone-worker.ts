// Runs the profiling worker as a process of its own (Node: `tsx supabase/functions/profiling/standalone-worker.ts`),
// against SUPABASE_DB_URL. SIGINT or SIGTERM stops it after the job in hand.
import process from "node:process";
import { database } from "../_shared/database.ts";
import { createProfilingWorker, profilingWorkerOptionsFromEnv } from "./worker.ts";

const worker = createProfilingWorker(database(), profilingWorkerOptionsFromEnv());
worker.start();
console.info(`profiling worker ${worker.name} started`);

const stop = async () => {
  await worker.stop();
  await database().end({ timeout: 5 });
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
