/**
 * Accounting of LLM calls. Every attempt is begun before the call (a `pending` row) and then either
 * completed or failed; the database implementation writes `llm_interactions`, tests use memory.
 */

export type InteractionPurpose = "planning_attributes" | "profiling_rules";

export interface InteractionStart {
  purpose: InteractionPurpose;
  provider: string;
  model: string;
  /** Exactly what was sent (for the heuristic provider: what it was given). Already privacy-filtered. */
  request: unknown;
  /** Same for every attempt of one logical call, e.g. `<job id>:<batch index>`. */
  idempotencyKey: string;
  /** 1-based attempt number within this call. */
  attempt: number;
}

export type BeginResult =
  /** A new pending interaction. */
  | { status: "started"; id: string }
  /**
   * An interaction with this idempotency key already completed, so its items are stored: the call is
   * skipped and `response` (as recorded by `complete`) is returned to the caller without storing again.
   */
  | { status: "completed_before"; id: string; response: RecordedResponse };

export interface RecordedResponse {
  /** The model's output, parsed as JSON. */
  content: unknown;
  /** The provider's response id and finish reason, when it gave them. */
  providerResponseId?: string;
  finishReason?: string;
}

export interface InteractionCompletion {
  response: RecordedResponse;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
}

export type FailureReason =
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "connection"
  | "client_error"
  | "cancelled"
  | "invalid_output"
  | "store_failed";

export interface InteractionFailure {
  reason: FailureReason;
  error: string;
  durationMs: number;
  /** HTTP status, when the provider answered with one. */
  status?: number;
  /** What came back, when something did (invalid output is kept for inspection). */
  response?: { content: string; providerResponseId?: string; finishReason?: string };
  /** An answer that failed validation was still paid for. */
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/**
 * Stores a validated result. Runs inside `complete`, in the same transaction that marks the interaction
 * completed: both are kept or neither is.
 */
export type StoreResult<Tx> = (tx: Tx) => Promise<void>;

export interface InteractionRecorder<Tx = unknown> {
  begin(start: InteractionStart): Promise<BeginResult>;
  /**
   * Marks the interaction completed and calls `store` in the same transaction. If `store` throws, the
   * transaction rolls back (the interaction stays pending) and the error propagates; the caller then
   * records it with `fail`.
   */
  complete(id: string, completion: InteractionCompletion, store: StoreResult<Tx>): Promise<void>;
  fail(id: string, failure: InteractionFailure): Promise<void>;
}
