import { z } from "zod";
import { costUsd, type Prices } from "./cost.ts";
import { LlmOutputError, LlmRequestError } from "./errors.ts";
import type {
  FailureReason,
  InteractionPurpose,
  InteractionRecorder,
  RawResponse,
  RecordedAnswer,
} from "./recorder.ts";
import { backoffDelay, sleep, type RetryPolicy } from "./retry.ts";

/** What one attempt got back from a provider: the response and its tokens. */
export interface Answer extends RawResponse {
  inputTokens: number;
  outputTokens: number;
}

/** A failed attempt, classified: transient ones are retried. */
export class AttemptError extends Error {
  constructor(
    readonly reason: Exclude<FailureReason, "invalid_output" | "store_failed">,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CallOptions<O, Tx> {
  recorder: InteractionRecorder<Tx>;
  /** Same for every attempt and every retry of the job step, e.g. `<job id>:<batch index>`. */
  idempotencyKey: string;
  /** Stores the validated output; runs in the transaction that completes the interaction. */
  store: (output: O, tx: Tx) => Promise<void>;
  /**
   * Whether a failure to store the output may pass (a lost connection, a lost lease): then the interaction stays
   * answered, and a retry with the same key stores the saved answer instead of paying for the call again.
   * Otherwise (the default) the interaction is failed `store_failed`.
   */
  storeMayBeRetried?: (error: unknown) => boolean;
  signal?: AbortSignal;
}

export interface Generation<O> {
  provider: string;
  model: string;
  /** The completed interaction's id. */
  interactionId: string;
  output: O;
  /**
   * True when an earlier run with the same idempotency key had been answered: nothing was called (or paid) again.
   * Its items were stored then if it had completed, or now from the saved answer if it had not.
   */
  replayed: boolean;
  /** Attempts made by this call, failed ones included. */
  attempts: number;
  /** Totals over this call's attempts. */
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface GenerationSpec<O> {
  purpose: InteractionPurpose;
  provider: string;
  model: string;
  request: unknown;
  prices: Prices;
  retry: RetryPolicy;
  perform: (signal?: AbortSignal) => Promise<Answer>;
  /** Validates parsed content, throwing `LlmOutputError` with the reasons. */
  validate: (content: unknown) => Promise<O>;
  random?: () => number;
}

async function interpret<O>(
  answer: RawResponse,
  validate: (content: unknown) => Promise<O>,
): Promise<{ parsed: unknown; output: O }> {
  if (answer.finishReason === "length") throw new LlmOutputError("truncated", "output cut off at the token limit");
  if (answer.refusal) throw new LlmOutputError("refused", `the model refused: ${answer.refusal.slice(0, 500)}`);
  if (!answer.content) throw new LlmOutputError("empty", "no content in the answer");
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.content);
  } catch (error) {
    throw new LlmOutputError("malformed_json", `output is not JSON: ${(error as Error).message}`);
  }
  return { parsed, output: await validate(parsed) };
}

const errorText = (error: LlmOutputError) =>
  [`${error.problem}: ${error.message}`, ...error.issues].join("\n").slice(0, 4000);

/**
 * One logical call with its accounting: each attempt begun before the call; its answer saved with tokens and
 * cost as soon as it arrives, then completed together with storing the output, or failed with the reason.
 * Transient failures are retried with backoff; invalid output is not. A run that finds the call answered
 * before (a crash between the answer and the store) stores the saved answer without calling again.
 */
export async function generate<O, Tx>(spec: GenerationSpec<O>, options: CallOptions<O, Tx>): Promise<Generation<O>> {
  const { recorder } = options;
  const totals = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const result = (interactionId: string, output: O, replayed: boolean, attempts: number): Generation<O> => ({
    provider: spec.provider,
    model: spec.model,
    interactionId,
    output,
    replayed,
    attempts,
    ...totals,
    costUsd: Math.round(totals.costUsd * 1e10) / 1e10,
  });

  /** Validates a saved answer and stores its output with the completion, or records why not. */
  const settle = async (id: string, answered: RecordedAnswer): Promise<O> => {
    const { response, ...usage } = answered;
    let interpreted: { parsed: unknown; output: O };
    try {
      interpreted = await interpret(response, spec.validate);
    } catch (error) {
      if (!(error instanceof LlmOutputError)) throw error;
      // The answer was paid for, so its tokens and cost stay on record with the reason.
      await recorder.fail(id, { reason: "invalid_output", error: errorText(error), ...usage, response });
      throw new LlmOutputError(error.problem, error.message, error.issues, id);
    }

    const meta = { providerResponseId: response.providerResponseId, finishReason: response.finishReason };
    try {
      await recorder.complete(id, { response: { content: interpreted.parsed, ...meta }, ...usage }, (tx) =>
        options.store(interpreted.output, tx),
      );
    } catch (error) {
      // Left answered, a retry stores the saved answer; otherwise the failure is recorded, its cost kept.
      if (!options.storeMayBeRetried?.(error)) {
        await recorder.fail(id, { reason: "store_failed", error: (error as Error).message, ...usage, response });
      }
      throw error;
    }
    return interpreted.output;
  };

  for (let attempt = 1; ; attempt++) {
    const begun = await recorder.begin({
      purpose: spec.purpose,
      provider: spec.provider,
      model: spec.model,
      request: spec.request,
      idempotencyKey: options.idempotencyKey,
      attempt,
    });
    if (begun.status === "completed_before") {
      return result(begun.id, await spec.validate(begun.response.content), true, attempt - 1);
    }
    if (begun.status === "answered_before") {
      // Paid for by an earlier run that stopped before storing: its answer is stored now, not asked for again.
      return result(begun.id, await settle(begun.id, begun.answer), true, attempt - 1);
    }
    const id = begun.id;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    let answer: Answer;
    try {
      answer = await spec.perform(options.signal);
    } catch (error) {
      const failed =
        error instanceof AttemptError
          ? error
          : new AttemptError("client_error", (error as Error).message, false, undefined, undefined, { cause: error });
      await recorder.fail(id, {
        reason: failed.reason,
        error: failed.message,
        durationMs: elapsed(),
        status: failed.status,
      });
      const wait = Math.max(failed.retryAfterMs ?? 0, backoffDelay(attempt, spec.retry, spec.random));
      // A server asking for a longer wait than we allow ends the retries; the job can come back later.
      const giveUp =
        !failed.retryable || attempt >= spec.retry.maxAttempts || (failed.retryAfterMs ?? 0) > spec.retry.maxDelayMs;
      if (giveUp) {
        throw new LlmRequestError(failed.reason, failed.message, attempt, failed.status, { cause: error });
      }
      await sleep(wait, options.signal);
      continue;
    }

    const cost = costUsd(answer.inputTokens, answer.outputTokens, spec.prices);
    const answered: RecordedAnswer = {
      response: {
        content: answer.content,
        providerResponseId: answer.providerResponseId,
        finishReason: answer.finishReason,
        ...(answer.refusal ? { refusal: answer.refusal } : {}),
      },
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      costUsd: cost,
      durationMs: elapsed(),
    };
    totals.inputTokens += answer.inputTokens;
    totals.outputTokens += answer.outputTokens;
    totals.costUsd += cost;
    // Saved in a commit of its own before anything is done with it: a crash from here on loses nothing paid for.
    await recorder.answer(id, answered);
    return result(id, await settle(id, answered), false, attempt);
  }
}

/** Runs a zod schema and turns its failure into `LlmOutputError`, one issue per line. */
export function validateWith<O>(schema: z.ZodType<O, z.ZodTypeDef, unknown>): (content: unknown) => Promise<O> {
  return async (content) => {
    const parsed = await schema.safeParseAsync(content);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new LlmOutputError("schema_invalid", `output refused: ${issues.length} problem(s)`, issues);
  };
}
