import { z } from "zod";
import { costUsd, type Prices } from "./cost.ts";
import { LlmOutputError, LlmRequestError } from "./errors.ts";
import type { FailureReason, InteractionPurpose, InteractionRecorder, RecordedResponse } from "./recorder.ts";
import { backoffDelay, sleep, type RetryPolicy } from "./retry.ts";

/** What one attempt got back from a provider. */
export interface Answer {
  content: string | null;
  inputTokens: number;
  outputTokens: number;
  providerResponseId?: string;
  finishReason?: string;
  refusal?: string | null;
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
  signal?: AbortSignal;
}

export interface Generation<O> {
  provider: string;
  model: string;
  /** The completed interaction's id. */
  interactionId: string;
  output: O;
  /** True when an earlier run with the same idempotency key had completed: nothing was called or stored. */
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
  answer: Answer,
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
 * One logical call with its accounting: each attempt begun before the call, then completed together with
 * storing the output, or failed with the reason. Transient failures are retried with backoff; invalid output
 * is not.
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

    const durationMs = elapsed();
    const cost = costUsd(answer.inputTokens, answer.outputTokens, spec.prices);
    totals.inputTokens += answer.inputTokens;
    totals.outputTokens += answer.outputTokens;
    totals.costUsd += cost;
    const usage = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, costUsd: cost, durationMs };
    const meta = { providerResponseId: answer.providerResponseId, finishReason: answer.finishReason };

    let interpreted: { parsed: unknown; output: O };
    try {
      interpreted = await interpret(answer, spec.validate);
    } catch (error) {
      if (!(error instanceof LlmOutputError)) throw error;
      await recorder.fail(id, {
        reason: "invalid_output",
        error: errorText(error),
        ...usage,
        response: { content: answer.content ?? "", ...meta },
      });
      throw new LlmOutputError(error.problem, error.message, error.issues, id);
    }

    const response: RecordedResponse = { content: interpreted.parsed, ...meta };
    try {
      await recorder.complete(id, { response, ...usage }, (tx) => options.store(interpreted.output, tx));
    } catch (error) {
      await recorder.fail(id, {
        reason: "store_failed",
        error: (error as Error).message,
        ...usage,
        response: { content: answer.content ?? "", ...meta },
      });
      throw error;
    }
    return result(id, interpreted.output, false, attempt);
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
