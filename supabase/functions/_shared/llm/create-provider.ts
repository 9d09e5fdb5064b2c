import { llmConfig, type LlmConfig } from "./config.ts";
import { HeuristicProvider } from "./heuristic/provider.ts";
import { OpenAiProvider } from "./openai-provider.ts";
import type { LlmProvider } from "./provider.ts";

/** The configured provider: OpenAI-compatible with an API key, the offline heuristic without one. */
export function createProvider(config: LlmConfig = llmConfig()): LlmProvider {
  return config.provider === "openai" ? new OpenAiProvider(config) : new HeuristicProvider();
}
