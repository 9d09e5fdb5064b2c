import type { IncomingMessage } from "node:http";
import { AuthError } from "./errors.ts";

const windowMs = 5 * 60 * 1000;
/** GoTrue's limiters let at most this many requests through at once, whatever the 5-minute figure. */
const maxBurst = 30;
/** Buckets kept before full (idle) ones are forgotten. */
const maxTrackedClients = 10_000;

/**
 * One of GoTrue's per-address limits (`[auth.rate_limit]` in config.toml), as its token buckets work: `per5Minutes`
 * requests refill evenly over 5 minutes, and at most min(per5Minutes, 30) pass in a burst.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly refillPerMs: number;

  constructor(per5Minutes: number) {
    this.burst = Math.max(1, Math.min(per5Minutes, maxBurst));
    this.refillPerMs = per5Minutes / windowMs;
  }

  /** Takes one request from the client's bucket; false when it is empty. */
  take(client: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    if (!this.buckets.has(client)) {
      if (this.buckets.size >= maxTrackedClients) this.forgetIdle(now);
      this.buckets.set(client, bucket);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** GoTrue's answer once a limit is reached: 429 `over_request_rate_limit`. */
  check(req: IncomingMessage): void {
    if (!this.take(clientAddress(req))) {
      throw new AuthError(429, "over_request_rate_limit", "Request rate limit reached");
    }
  }

  private forgetIdle(now: number): void {
    for (const [client, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.burst) this.buckets.delete(client);
    }
  }
}

/**
 * The address limits are counted by: the peer of the connection. `X-Forwarded-For` is not trusted, since this
 * gateway is the edge and any client could set it.
 */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}
