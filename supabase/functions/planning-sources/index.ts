import { authServerLookup } from "../_shared/auth.ts";
import { database } from "../_shared/database.ts";
import { uploadMaxBytes } from "../_shared/ingest/ingest.ts";
import { createPlanningSourcesApp } from "./app.ts";

Deno.serve(
  createPlanningSourcesApp({ sql: database(), lookupUser: authServerLookup(), maxUploadBytes: uploadMaxBytes() }).fetch,
);
