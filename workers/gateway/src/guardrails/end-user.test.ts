import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEndUserPseudonym } from "../../../../shared/end-user";
import { endUserPseudonym, endUserSecret, pseudonymizeEndUsers } from "./end-user";

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

  it("read the secret from END_USER_HASH_KEY", () => {
    expect(endUserSecret({ END_USER_HASH_KEY: "s" })).toBe("s");
    expect(endUserSecret({ END_USER_HASH_KEY: "" })).toBeUndefined();
    expect(endUserSecret({})).toBeUndefined();
  });
});
