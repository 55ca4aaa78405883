import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, backoffFromEnv, DEFAULT_BACKOFF } from "./backoff";

describe("backoff with full jitter", () => {
  it("stays within [0, min(cap, base * 2^retry)]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (retry, r) => {
        const d = backoffDelay(retry, undefined, { baseMs: 100, capMs: 2_000, random: () => r });
        expect(d).not.toBeNull();
        expect(d as number).toBeGreaterThanOrEqual(0);
        expect(d as number).toBeLessThanOrEqual(Math.min(2_000, 100 * 2 ** retry));
      }),
    );
  });

  it("honours Retry-After within the cap and gives up past it", () => {
    expect(backoffDelay(0, 1_500, { baseMs: 100, capMs: 2_000 })).toBe(1_500);
    expect(backoffDelay(0, 30_000, { baseMs: 100, capMs: 2_000 })).toBeNull();
  });

  it("reads the deployment's base and cap from vars, keeping the defaults when unset or unusable", () => {
    expect(backoffFromEnv({})).toEqual({ baseMs: 100, capMs: 2_000 });
    expect(backoffFromEnv({ RETRY_BACKOFF_BASE_MS: "2", RETRY_BACKOFF_CAP_MS: "50" })).toEqual({ baseMs: 2, capMs: 50 });
    expect(backoffFromEnv({ RETRY_BACKOFF_BASE_MS: "fast", RETRY_BACKOFF_CAP_MS: "-1" })).toEqual(DEFAULT_BACKOFF);
    expect(backoffFromEnv({ RETRY_BACKOFF_BASE_MS: " " })).toEqual(DEFAULT_BACKOFF);
  });
});
