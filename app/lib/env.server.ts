import { z } from "zod";
import { parseDuration } from "./session-limits";

const schema = z.object({
  SUPABASE_URL: z.string().url(),
  SUPABASE_ANON_KEY: z.string().min(1),
  // Unset: cookies are Secure everywhere but on a loopback host (localhost, 127.0.0.1, ::1).
  SESSION_SECURE_COOKIES: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
  // The auth server's absolute session limit ([auth.sessions] timebox): the session cookie lives no longer.
  SESSION_TIMEBOX: z
    .string()
    .default("12h")
    .transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (!seconds) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a duration such as "12h" or 43200 (seconds), not 0' });
        return z.NEVER;
      }
      return seconds;
    }),
  // The upload size limit, the same variable the planning-sources function reads (50 MB unset): the page
  // refuses a larger file before sending it, and the app before streaming it on.
  UPLOAD_MAX_BYTES: z.coerce
    .number({ message: "a positive whole number of bytes" })
    .int("a positive whole number of bytes")
    .positive("a positive whole number of bytes")
    .default(50 * 1024 * 1024),
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
