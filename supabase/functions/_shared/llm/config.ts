import process from "node:process";
import { z } from "zod";

/** The offline provider's name and model, as recorded in `llm_interactions`. */
export const HEURISTIC_PROVIDER = "heuristic";
export const HEURISTIC_MODEL = "rules-v1";

export interface OpenAiConfig {
  provider: "openai";
  apiKey: string;
  /** Undefined means OpenAI's own endpoint. */
  baseUrl?: string;
  model: string;
  priceInputPerMTok: number;
  priceOutputPerMTok: number;
  timeoutMs: number;
  maxAttempts: number;
}

export interface HeuristicConfig {
  provider: typeof HEURISTIC_PROVIDER;
  model: typeof HEURISTIC_MODEL;
}

export type LlmConfig = OpenAiConfig | HeuristicConfig;

// Deployment tools often write unset variables as empty strings: treat them as absent.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const price = z.coerce.number().finite().nonnegative();

const envSchema = z
  .object({
    LLM_API_KEY: optional(z.string().trim()),
    LLM_BASE_URL: optional(z.string().trim().url()),
    LLM_MODEL: optional(z.string().trim().min(1).max(200)),
    LLM_PRICE_INPUT_PER_MTOK: optional(price),
    LLM_PRICE_OUTPUT_PER_MTOK: optional(price),
    LLM_TIMEOUT_MS: optional(z.coerce.number().int().min(1000).max(600_000)),
    LLM_MAX_ATTEMPTS: optional(z.coerce.number().int().min(1).max(10)),
  })
  .superRefine((env, ctx) => {
    if (!env.LLM_API_KEY) return;
    // Model and prices decide what each call costs, so a paid provider never runs without them.
    for (const name of ["LLM_MODEL", "LLM_PRICE_INPUT_PER_MTOK", "LLM_PRICE_OUTPUT_PER_MTOK"] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message: "required when LLM_API_KEY is set (use 0 for a free endpoint's prices)",
        });
      }
    }
  });

export class LlmConfigError extends Error {
  override name = "LlmConfigError";
}

/** Parses the LLM settings from an environment; no API key selects the offline heuristic provider. */
export function parseLlmConfig(env: Record<string, string | undefined>): LlmConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new LlmConfigError(`Invalid LLM configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  if (!e.LLM_API_KEY) return { provider: HEURISTIC_PROVIDER, model: HEURISTIC_MODEL };
  return {
    provider: "openai",
    apiKey: e.LLM_API_KEY,
    baseUrl: e.LLM_BASE_URL,
    model: e.LLM_MODEL!,
    priceInputPerMTok: e.LLM_PRICE_INPUT_PER_MTOK!,
    priceOutputPerMTok: e.LLM_PRICE_OUTPUT_PER_MTOK!,
    timeoutMs: e.LLM_TIMEOUT_MS ?? 60_000,
    maxAttempts: e.LLM_MAX_ATTEMPTS ?? 3,
  };
}

let cached: LlmConfig | undefined;

/** The process's LLM settings, parsed once from its environment (fails fast with every problem named). */
export function llmConfig(): LlmConfig {
  cached ??= parseLlmConfig(process.env);
  return cached;
}
