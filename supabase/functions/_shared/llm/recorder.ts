/**
 * Accounting of LLM calls. Every attempt is begun before the call (a `pending` row); an answer is saved with
 * its accounting as soon as it arrives (`answered`), and the attempt then ends completed or failed. The
 * database implementation writes `llm_interactions`, tests use memory.
 */

export type InteractionPurpose = "planning_attributes" | "profiling_rules" | "scoping_recommendations";

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
  | { status: "completed_before"; id: string; response: RecordedResponse }
  /**
   * An earlier run with this idempotency key got an answer (paid for, saved by `answer`) but stopped before its
   * items were stored: the call is skipped, and the caller validates and stores the saved answer with `complete`.
   */
  | { status: "answered_before"; id: string; answer: RecordedAnswer };

export interface RecordedResponse {
  /** The model's output, parsed as JSON. */
  content: unknown;
  /** The provider's response id and finish reason, when it gave them. */
  providerResponseId?: string;
  finishReason?: string;
}

/** What came back from a provider, as received: the content is the raw text. */
export interface RawResponse {
  content: string | null;
  providerResponseId?: string;
  finishReason?: string;
  refusal?: string | null;
}

/** An answer and what it cost, saved before anything is done with it. */
export interface RecordedAnswer {
  response: RawResponse;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
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
  response?: RawResponse;
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
   * Saves the answer and its accounting on the pending interaction (`answered`) in a commit of its own, so a
   * crash before `complete` loses nothing that was paid for.
   */
  answer(id: string, answer: RecordedAnswer): Promise<void>;
  /**
   * Marks the (answered) interaction completed and calls `store` in the same transaction. If `store` throws,
   * the transaction rolls back (the interaction stays answered) and the error propagates; the caller then
   * records it with `fail`. An answered interaction keeps the tokens, cost and duration it was answered with.
   */
  complete(id: string, completion: InteractionCompletion, store: StoreResult<Tx>): Promise<void>;
  /** Records the failure; an answered interaction keeps its answer, tokens, cost and duration. */
  fail(id: string, failure: InteractionFailure): Promise<void>;
}
