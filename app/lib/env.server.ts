import { z } from "zod";

const schema = z.object({
  SUPABASE_URL: z.string().url(),
  SUPABASE_ANON_KEY: z.string().min(1),
  // Unset: cookies are Secure exactly when the request came over HTTPS.
  SESSION_SECURE_COOKIES: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
});

export type Env = z.infer<typeof schema>;

function parseEnv(): Env {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid environment for the RegTest app:\n${problems}`);
  }
  return result.data;
}

/** Parsed once at server start, so a misconfigured deployment fails before serving a page. */
export const env = parseEnv();
