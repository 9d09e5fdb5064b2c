import type { FailureReason } from "./recorder.ts";

export type OutputProblem = "malformed_json" | "schema_invalid" | "truncated" | "refused" | "empty";

/** The provider answered, but not with something we may store. Never retried (see docs/llm.md). */
export class LlmOutputError extends Error {
  override name = "LlmOutputError";
  constructor(
    readonly problem: OutputProblem,
    message: string,
    /** One line per refused field, e.g. `attributes.0.name: String must contain at most 100 character(s)`. */
    readonly issues: string[] = [],
    readonly interactionId?: string,
  ) {
    super(message);
  }
}

/** The provider could not be reached or refused the request, after every allowed attempt. */
export class LlmRequestError extends Error {
  override name = "LlmRequestError";
  constructor(
    readonly reason: Exclude<FailureReason, "invalid_output" | "store_failed">,
    message: string,
    readonly attempts: number,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
