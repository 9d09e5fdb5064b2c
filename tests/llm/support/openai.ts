import { parseLlmConfig } from "../../../supabase/functions/_shared/llm/config.ts";
import { OpenAiProvider } from "../../../supabase/functions/_shared/llm/openai-provider.ts";
import type { OpenAiConfig } from "../../../supabase/functions/_shared/llm/config.ts";

/** The real provider pointed at the loopback server, with short waits so tests stay quick. */
export function providerFor(baseUrl: string, env: Record<string, string> = {}): OpenAiProvider {
  const config = parseLlmConfig({
    LLM_API_KEY: "sk-test",
    LLM_BASE_URL: baseUrl,
    LLM_MODEL: "gpt-test",
    LLM_PRICE_INPUT_PER_MTOK: "2.5",
    LLM_PRICE_OUTPUT_PER_MTOK: "10",
    LLM_TIMEOUT_MS: "1000",
    LLM_MAX_ATTEMPTS: "3",
    ...env,
  }) as OpenAiConfig;
  return new OpenAiProvider(config, { retry: { baseDelayMs: 5, maxDelayMs: 2000 } });
}
