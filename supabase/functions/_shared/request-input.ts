// Request input checked against a zod schema: a mismatch is the caller's mistake, answered 400 invalid_request
// naming every issue.
import type { z } from "zod";
import { HttpError } from "./http-errors.ts";

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`).join("; ");
    throw new HttpError(400, "invalid_request", `Invalid ${what}: ${issues}.`);
  }
  return result.data;
}
