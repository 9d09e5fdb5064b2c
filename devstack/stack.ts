import path from "node:path";
import { authenticatorPassword, apiUrl, dbUrl, demoKeys, ruleExecutorPassword, type StackConfig } from "./config.ts";
import { startFunctions, type FunctionsRuntime } from "./functions.ts";
import { loadJwtExpirySeconds } from "./gateway/auth/session-limits.ts";
import { startGateway, type Gateway } from "./gateway/server.ts";
import { log } from "./log.ts";
import { loadTestHelpers, pushMigrations } from "./migrate.ts";
import {
  applyAuthSchemaAdditions,
  applyBootstrap,
  isBootstrapped,
  applyStorageSchema,
  ensureCluster,
  ensurePostgresInstalled,
  psql,
  removeCluster,
  startCluster,
} from "./postgres.ts";

export interface DatabaseOptions {
  /** Throw the cluster away first (tests, `reset`). */
  fresh?: boolean;
  logStatements?: boolean;
  /** Load pgTAP and supabase/tests/helpers. */
  testHelpers?: boolean;
}

/** PostgreSQL with the Supabase bootstrap and every migration applied; seeded when new. */
export function startDatabase(stack: StackConfig, options: DatabaseOptions = {}): void {
  ensurePostgresInstalled();
  if (options.fresh) removeCluster(stack);
  ensureCluster(stack);
  startCluster(stack, { logStatements: options.logStatements });
  // New, or left unfinished by an interrupted first start: bootstrapped and seeded now.
  const created = !isBootstrapped(stack);
  if (created) applyBootstrap(stack);
  applyAuthSchemaAdditions(stack);
  applyStorageSchema(stack);
  pushMigrations(stack, { seed: created });
  // Deployment secret, set outside the migrations as on a hosted project.
  psql(stack, { sql: `alter role rule_executor with password '${ruleExecutorPassword}'` });
  if (options.testHelpers) loadTestHelpers(stack);
}

/** The environment a client of this stack needs, with the names hosted Supabase uses. */
export function stackEnv(stack: StackConfig): Record<string, string> {
  return {
    SUPABASE_URL: apiUrl(stack),
    SUPABASE_ANON_KEY: demoKeys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: demoKeys.serviceRoleKey,
    SUPABASE_DB_URL: dbUrl(stack),
    SUPABASE_JWT_SECRET: demoKeys.jwtSecret,
    RULE_EXECUTOR_DB_URL: dbUrl(stack, "rule_executor", ruleExecutorPassword),
    // Test and demo database sources live on the stack's own cluster, on loopback, which is refused by default.
    DATABASE_SOURCE_ALLOWED_HOSTS: "127.0.0.1,::1,localhost",
  };
}

export interface RunningServices {
  gateway: Gateway;
  functions: FunctionsRuntime;
  stop(): Promise<void>;
}

/** Edge functions under Deno, then the gateway in front of them and of the database. */
export async function startServices(stack: StackConfig): Promise<RunningServices> {
  const functions = await startFunctions(stack, stackEnv(stack));
  const gateway = await startGateway(
    {
      jwtSecret: demoKeys.jwtSecret,
      anonKey: demoKeys.anonKey,
      serviceRoleKey: demoKeys.serviceRoleKey,
      authenticatorUrl: dbUrl(stack, "authenticator", authenticatorPassword),
      authAdminUrl: dbUrl(stack, "supabase_auth_admin", authenticatorPassword),
      maxBodyBytes: Number(process.env.GATEWAY_MAX_BODY_BYTES ?? 1024 * 1024),
      jwtExpirySeconds: loadJwtExpirySeconds(),
      functionPorts: functions.ports,
      publicUrl: apiUrl(stack),
      storageDir: path.join(stack.dataDir, "storage"),
    },
    stack.apiPort,
  );
  log("gateway", `API on ${apiUrl(stack)} (/rest/v1, /auth/v1, /functions/v1, /storage/v1)`);
  return {
    gateway,
    functions,
    async stop() {
      await gateway.close();
      await functions.stop();
    },
  };
}
