import postgres from "postgres";
import { requiredEnv } from "./env";

/** A connection to the test database as the database operator (postgres, as in Studio and the edge functions). */
export function connect(max = 4): postgres.Sql {
  return postgres(requiredEnv("SUPABASE_DB_URL"), { max, onnotice: () => undefined });
}
