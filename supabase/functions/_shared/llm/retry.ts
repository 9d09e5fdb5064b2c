export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff step; doubles on each further attempt. */
  baseDelayMs: number;
  /** Ceiling for one wait. A server asking for a longer wait ends the retries instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "maxAttempts"> = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so waits keep growing
 * while concurrent workers spread out.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** The server's requested wait in ms from `retry-after-ms` or `retry-after` (seconds or HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
