import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, parseApiKey, timingSafeEqual } from "./keys";

describe("api keys", () => {
  it("generates gw_<env>_<prefix>_<secret> keys whose hash is SHA-256 of the key", async () => {
    const g = await generateApiKey("local");
    expect(g.key).toMatch(/^gw_local_[a-z2-7]{12}_[a-z2-7]{52}$/);
    expect(parseApiKey(g.key)).toEqual({ env: "local", prefix: g.prefix });
    expect(g.hash).toBe(await hashApiKey(g.key));
    expect(g.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never generates the same prefix or secret twice in a sample", async () => {
    const keys = await Promise.all(Array.from({ length: 200 }, () => generateApiKey("test")));
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
  });

  it("rejects malformed candidates without throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseApiKey(s);
        return r === null || /^gw_/.test(s);
      }),
    );
    for (const bad of ["", "gw_local_abc_def", "Bearer x", `gw_local_${"a".repeat(12)}_${"1".repeat(52)}`, `gw_LOCAL_${"a".repeat(12)}_${"a".repeat(52)}`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it("compares equal and unequal strings correctly in constant-time compare", () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => timingSafeEqual(a, b) === (a === b)));
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
  });
});
