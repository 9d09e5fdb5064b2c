import { describe, expect, test } from "vitest";
import { LlmConfigError, parseLlmConfig } from "../../supabase/functions/_shared/llm/config.ts";
import { createProvider } from "../../supabase/functions/_shared/llm/create-provider.ts";
import { costUsd } from "../../supabase/functions/_shared/llm/cost.ts";
import { backoffDelay, retryAfterMs } from "../../supabase/functions/_shared/llm/retry.ts";

const paid = {
  LLM_API_KEY: "sk-live",
  LLM_MODEL: "gpt-4o-mini",
  LLM_PRICE_INPUT_PER_MTOK: "0.15",
  LLM_PRICE_OUTPUT_PER_MTOK: "0.6",
};

describe("configuration", () => {
  test("no API key (absent or empty) selects the offline provider", () => {
    expect(parseLlmConfig({})).toEqual({ provider: "heuristic", model: "rules-v1" });
    expect(parseLlmConfig({ LLM_API_KEY: " ", LLM_MODEL: "" })).toEqual({ provider: "heuristic", model: "rules-v1" });
    expect(createProvider(parseLlmConfig({}))).toMatchObject({ name: "heuristic", model: "rules-v1" });
  });

  test("an API key with model and prices selects the OpenAI-compatible provider, with defaults", () => {
    expect(parseLlmConfig(paid)).toEqual({
      provider: "openai",
      apiKey: "sk-live",
      baseUrl: undefined,
      model: "gpt-4o-mini",
      priceInputPerMTok: 0.15,
      priceOutputPerMTok: 0.6,
      timeoutMs: 60_000,
      maxAttempts: 3,
    });
    const custom = parseLlmConfig({
      ...paid,
      LLM_BASE_URL: "http://127.0.0.1:11434/v1",
      LLM_TIMEOUT_MS: "5000",
      LLM_MAX_ATTEMPTS: "1",
    });
    expect(custom).toMatchObject({ baseUrl: "http://127.0.0.1:11434/v1", timeoutMs: 5000, maxAttempts: 1 });
    expect(createProvider(custom)).toMatchObject({ name: "openai", model: "gpt-4o-mini" });
  });

  test("a paid provider without model or prices fails fast, naming each variable", () => {
    expect(() => parseLlmConfig({ LLM_API_KEY: "sk-live" })).toThrow(LlmConfigError);
    expect(() => parseLlmConfig({ LLM_API_KEY: "sk-live" })).toThrow(
      /LLM_MODEL: required.*LLM_PRICE_INPUT_PER_MTOK: required.*LLM_PRICE_OUTPUT_PER_MTOK: required/,
    );
  });

  test.each([
    ["LLM_BASE_URL", "not a url"],
    ["LLM_PRICE_INPUT_PER_MTOK", "-1"],
    ["LLM_PRICE_OUTPUT_PER_MTOK", "cheap"],
    ["LLM_TIMEOUT_MS", "10"],
    ["LLM_MAX_ATTEMPTS", "0"],
    ["LLM_MAX_ATTEMPTS", "2.5"],
  ])("%s=%s is refused", (name, value) => {
    expect(() => parseLlmConfig({ ...paid, [name]: value })).toThrow(
      new RegExp(`^Invalid LLM configuration: ${name}: `),
    );
  });
});

describe("cost and retry timing", () => {
  test("cost from tokens and prices per million tokens", () => {
    expect(costUsd(1_000_000, 0, { priceInputPerMTok: 2.5, priceOutputPerMTok: 10 })).toBe(2.5);
    expect(costUsd(1200, 350, { priceInputPerMTok: 2.5, priceOutputPerMTok: 10 })).toBe(0.0065);
    expect(costUsd(1, 0, { priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 })).toBe(0.00000015);
  });

  test("backoff doubles per attempt, half of it jitter, capped", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 5000]);
  });

  test("retry-after in milliseconds, seconds or as a date", () => {
    const now = Date.parse("2025-01-31T12:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after": "Fri, 31 Jan 2025 12:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
