// Runs the generation worker as a process of its own (Node: `tsx supabase/functions/generation/standalone-worker.ts`),
// against SUPABASE_DB_URL, with the LLM settings of its environment. SIGINT or SIGTERM stops it after the job
// in hand.
import process from "node:process";
import { database } from "../_shared/database.ts";
import { createGenerationWorker, generationWorkerOptionsFromEnv } from "../_shared/generation/worker.ts";

const worker = createGenerationWorker(database(), generationWorkerOptionsFromEnv());
worker.start();
console.info(`generation worker ${worker.name} started`);

const stop = async () => {
  await worker.stop();
  await database().end({ timeout: 5 });
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
