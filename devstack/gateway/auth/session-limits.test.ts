import { describe, expect, it } from "vitest";

const environment = (values: Record<string, string>) => values as NodeJS.ProcessEnv;
import { loadJwtExpirySeconds, loadSessionLimits, sessionValidity } from "./session-limits.ts";
import { goDurationMs } from "./validation.ts";

describe("session limits", () => {
  it("reads Go durations as GoTrue's config does", () => {
    expect(goDurationMs("30m")).toBe(1_800_000);
    expect(goDurationMs("12h")).toBe(43_200_000);
    expect(goDurationMs("1h30m10s")).toBe(5_410_000);
    expect(goDurationMs("0")).toBe(0);
    expect(goDurationMs("30 minutes")).toBeUndefined();
    expect(goDurationMs("")).toBeUndefined();
  });

  it("takes supabase/config.toml's [auth.sessions], and GoTrue's environment variables over it", () => {
    expect(loadSessionLimits(undefined, environment({}))).toEqual({
      timeboxSeconds: 43200,
      inactivityTimeoutSeconds: 1800,
    });
    expect(
      loadSessionLimits(
        undefined,
        environment({ GOTRUE_SESSIONS_TIMEBOX: "2m", GOTRUE_SESSIONS_INACTIVITY_TIMEOUT: "5s" }),
      ),
    ).toEqual({ timeboxSeconds: 120, inactivityTimeoutSeconds: 5 });
    expect(() => loadSessionLimits(undefined, environment({ GOTRUE_SESSIONS_TIMEBOX: "soon" }))).toThrow(
      /not a duration/,
    );
    // Access tokens expire well within the idle timeout, so an active user always refreshes in time.
    expect(loadJwtExpirySeconds()).toBeLessThan(1800);
  });

  it("measures idleness from the last refresh, the token's change, or the sign-in, as GoTrue's CheckValidity", () => {
    const limits = { timeboxSeconds: 3600, inactivityTimeoutSeconds: 600 };
    const now = new Date("2026-12-01T12:00:00Z");
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const session = (created: number, refreshed: number | null, notAfter: Date | null = null) => ({
      created_at: at(created),
      refreshed_at: refreshed === null ? null : at(refreshed),
      not_after: notAfter,
    });
    expect(sessionValidity(session(30, 5), null, limits, now)).toBe("valid");
    expect(sessionValidity(session(30, 11), null, limits, now)).toBe("timed_out");
    expect(sessionValidity(session(30, null), at(5), limits, now)).toBe("valid");
    expect(sessionValidity(session(30, null), null, limits, now)).toBe("timed_out");
    expect(sessionValidity(session(61, 1), null, limits, now)).toBe("past_timebox");
    expect(sessionValidity(session(1, 1, at(0.5)), null, limits, now)).toBe("past_not_after");
    expect(sessionValidity(session(5000, null), null, { timeboxSeconds: 0, inactivityTimeoutSeconds: 0 }, now)).toBe(
      "valid",
    );
  });
});
