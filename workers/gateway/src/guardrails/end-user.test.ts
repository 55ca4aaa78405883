import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import { isEndUserPseudonym } from "../../../../shared/end-user";
import { END_USER_KEY_MISSING, endUserPseudonym, endUserSecret, pseudonymizeEndUsers } from "./end-user";

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

describe("end-user pseudonyms", () => {
  it("are stable per tenant, differ across tenants and secrets, and never contain the identifier", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 20 }), (user, tenant) => {
        const p = endUserPseudonym(user, tenant, "k1");
        expect(isEndUserPseudonym(p)).toBe(true);
        expect(endUserPseudonym(user, tenant, "k1")).toBe(p);
        expect(endUserPseudonym(user, `${tenant}x`, "k1")).not.toBe(p);
        expect(endUserPseudonym(user, tenant, "k2")).not.toBe(p);
        expect(endUserPseudonym(`${user}x`, tenant, "k1")).not.toBe(p);
      }),
    );
  });

  it("replace user, safety_identifier and prompt_cache_key; an empty one is dropped", () => {
    const out = pseudonymizeEndUsers({ model: "m", user: "jane@example.com", safety_identifier: "jane@example.com", prompt_cache_key: "", x: 1 }, "t", undefined);
    expect(out.user).toBe(endUserPseudonym("jane@example.com", "t", undefined));
    expect(out.safety_identifier).toBe(out.user);
    expect(out).not.toHaveProperty("prompt_cache_key");
    expect(out.x).toBe(1);
    const none: { model: string; user?: string } = { model: "m" };
    expect(pseudonymizeEndUsers(none, "t", "k")).toBe(none);
  });

  it("read the secret from END_USER_HASH_KEY; only local stacks may go without it", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const long = "a-production-end-user-key-of-40-characters";
    expect(endUserSecret({ END_USER_HASH_KEY: long, ENVIRONMENT: "production" })).toBe(long);
    // Shorter than 32 characters: refused like a missing key (a short key can be guessed with an identifier).
    expect(endUserSecret({ END_USER_HASH_KEY: "s", ENVIRONMENT: "production" })).toBe(END_USER_KEY_MISSING);
    expect(endUserSecret({ END_USER_HASH_KEY: "a".repeat(31), ENVIRONMENT: "production" })).toBe(END_USER_KEY_MISSING);
    expect(endUserSecret({ END_USER_HASH_KEY: "s", ENVIRONMENT: "local" })).toBeUndefined();
    expect(endUserSecret({ END_USER_HASH_KEY: "", ENVIRONMENT: "local" })).toBeUndefined();
    expect(endUserSecret({ ENVIRONMENT: "test" })).toBeUndefined();
    expect(endUserSecret({ ENVIRONMENT: "production" })).toBe(END_USER_KEY_MISSING);
    expect(endUserSecret({})).toBe(END_USER_KEY_MISSING);
  });

  it("without the secret in production, refuse a request that names an end user and pass one that does not", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const secret = endUserSecret({ ENVIRONMENT: "production" });
    expect(() => pseudonymizeEndUsers({ model: "m", user: "rowan.pike@fenmail.example" }, "t", secret)).toThrow(
      expect.objectContaining({ kind: "control_failed", status: 503, code: "end_user_hash_key_missing" }),
    );
    const anonymous: { model: string; user?: string } = { model: "m" };
    expect(pseudonymizeEndUsers(anonymous, "t", secret)).toBe(anonymous);
    endUserSecret({ ENVIRONMENT: "production" });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
