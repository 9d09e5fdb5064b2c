import OpenAI from "openai";
import type { OpenAiConfig } from "./config.ts";
import { AttemptError, generate, validateWith, type Answer, type CallOptions } from "./generation.ts";
import { planningMessages, type ChatMessage } from "./prompts/planning.ts";
import { profilingMessages } from "./prompts/profiling.ts";
import { scopingMessages } from "./prompts/scoping.ts";
import { planningView, profilingView, scopingView } from "./prompts/views.ts";
import type { LlmProvider } from "./provider.ts";
import type { InteractionPurpose } from "./recorder.ts";
import { retryAfterMs, DEFAULT_RETRY, type RetryPolicy } from "./retry.ts";
import { attributesOutputSchema, attributesResponseFormat, type AttributeProposal } from "./schemas/attributes.ts";
import type { ResponseFormat } from "./schemas/common.ts";
import { rulesOutputSchema, rulesResponseFormat, type RuleProposal } from "./schemas/rules.ts";
import { scopingOutputSchema, scopingResponseFormat, type ScopingRecommendation } from "./schemas/scoping.ts";
import type { AttributeBatch, RuleBatch, ScopingBatch } from "./types.ts";

/** The SDK's errors, mapped to whether another attempt may help. */
function classify(error: unknown): AttemptError {
  const message = (error as Error).message ?? String(error);
  if (error instanceof OpenAI.APIUserAbortError) return new AttemptError("cancelled", message, false);
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new AttemptError("timeout", message, true);
  if (error instanceof OpenAI.APIConnectionError) return new AttemptError("connection", message, true);
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const { status } = error;
    if (status === 429) return new AttemptError("rate_limited", message, true, status, retryAfterMs(error.headers));
    if (status >= 500 || status === 408) {
      return new AttemptError("server_error", message, true, status, retryAfterMs(error.headers));
    }
    return new AttemptError("client_error", message, false, status);
  }
  return new AttemptError("client_error", message, false, undefined, undefined, { cause: error });
}

export interface OpenAiProviderOptions {
  /** Backoff timing; attempts come from the configuration. */
  retry?: Partial<Omit<RetryPolicy, "maxAttempts">>;
  random?: () => number;
}

/** OpenAI or any endpoint that speaks its chat-completions API with JSON-schema structured output. */
export class OpenAiProvider implements LlmProvider {
  readonly name = "openai";
  readonly model: string;
  private readonly client: OpenAI;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly config: OpenAiConfig,
    private readonly options: OpenAiProviderOptions = {},
  ) {
    this.model = config.model;
    // The SDK's own retries are off: each attempt must be begun and recorded here.
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseUrl,
      maxRetries: 0,
      timeout: config.timeoutMs,
    });
    this.retry = { ...DEFAULT_RETRY, ...options.retry, maxAttempts: config.maxAttempts };
  }

  proposeAttributes<Tx>(batch: AttributeBatch, options: CallOptions<AttributeProposal[], Tx>) {
    const body = this.body(planningMessages(planningView(batch, "remote")), attributesResponseFormat);
    return this.run(
      "planning_attributes",
      body,
      validateWith(attributesOutputSchema(batch).transform((o) => o.attributes)),
      options,
    );
  }

  proposeRules<Tx>(batch: RuleBatch, options: CallOptions<RuleProposal[], Tx>) {
    const body = this.body(profilingMessages(profilingView(batch)), rulesResponseFormat);
    return this.run("profiling_rules", body, validateWith(rulesOutputSchema(batch)), options);
  }

  recommendScoping<Tx>(batch: ScopingBatch, options: CallOptions<ScopingRecommendation[], Tx>) {
    const body = this.body(scopingMessages(scopingView(batch)), scopingResponseFormat);
    return this.run("scoping_recommendations", body, validateWith(scopingOutputSchema(batch)), options);
  }

  private body(messages: ChatMessage[], format: ResponseFormat) {
    return {
      model: this.model,
      messages,
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: format.name, strict: true, schema: format.schema },
      },
    };
  }

  private run<O, Tx>(
    purpose: InteractionPurpose,
    body: ReturnType<OpenAiProvider["body"]>,
    validate: (content: unknown) => Promise<O>,
    options: CallOptions<O, Tx>,
  ) {
    const perform = async (signal?: AbortSignal): Promise<Answer> => {
      try {
        const completion = await this.client.chat.completions.create(body, {
          signal,
          timeout: this.config.timeoutMs,
          maxRetries: 0,
        });
        const choice = completion.choices[0];
        return {
          content: choice?.message.content ?? null,
          refusal: choice?.message.refusal ?? null,
          finishReason: choice?.finish_reason,
          providerResponseId: completion.id,
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        };
      } catch (error) {
        throw classify(error);
      }
    };
    return generate(
      {
        purpose,
        provider: this.name,
        model: this.model,
        request: body,
        prices: this.config,
        retry: this.retry,
        perform,
        validate,
        random: this.options.random,
      },
      options,
    );
  }
}
