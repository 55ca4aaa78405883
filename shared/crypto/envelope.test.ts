import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EnvelopeError, decryptText, encryptText, generateKeySpec, keyringFromEnv, rewrapEnvelope } from "./envelope";

const k1 = generateKeySpec("k1");
const k2 = generateKeySpec("k2");

describe("envelope encryption", () => {
  it("round-trips any text and never contains the plaintext", async () => {
    const ring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: k1 });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 500 }), async (text) => {
        const env = await encryptText(text, ring);
        expect(env.startsWith("gwe1.k1.")).toBe(true);
        expect(env.includes(text)).toBe(false);
        expect(await decryptText(env, ring)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it("encrypts the same text differently each time (random DEK and IV)", async () => {
    const ring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: k1 });
    expect(await encryptText("same", ring)).not.toBe(await encryptText("same", ring));
  });

  it("rotation: the active kid encrypts, old kids still decrypt, rewrap moves envelopes to the active kid", async () => {
    const old = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: k1 });
    const envOld = await encryptText("secret trace", old);
    const both = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: `${k1},${k2}`, CONTENT_ENCRYPTION_ACTIVE_KID: "k2" });
    expect((await encryptText("x", both)).split(".")[1]).toBe("k2");
    expect(await decryptText(envOld, both)).toBe("secret trace");
    const rewrapped = await rewrapEnvelope(envOld, both);
    expect(rewrapped.split(".")[1]).toBe("k2");
    const onlyNew = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: k2 });
    expect(await decryptText(rewrapped, onlyNew)).toBe("secret trace");
    await expect(decryptText(envOld, onlyNew)).rejects.toBeInstanceOf(EnvelopeError);
  });

  it("accepts the JSON keyring form", async () => {
    const [kid, b64] = k1.split(":");
    const ring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: JSON.stringify({ [kid!]: b64 }) });
    expect(ring.activeKid).toBe("k1");
  });

  it("detects tampering and kid swapping", async () => {
    const ring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: `${k1},${k2}`, CONTENT_ENCRYPTION_ACTIVE_KID: "k1" });
    const env = await encryptText("hello world", ring);
    const parts = env.split(".");
    const flipped = [...parts];
    flipped[5] = (parts[5]![0] === "A" ? "B" : "A") + parts[5]!.slice(1);
    await expect(decryptText(flipped.join("."), ring)).rejects.toBeInstanceOf(EnvelopeError);
    const swapped = [...parts];
    swapped[1] = "k2";
    await expect(decryptText(swapped.join("."), ring)).rejects.toBeInstanceOf(EnvelopeError);
    await expect(decryptText("not-an-envelope", ring)).rejects.toBeInstanceOf(EnvelopeError);
  });

  it("fails closed on missing or bad configuration without echoing key material", async () => {
    await expect(keyringFromEnv({})).rejects.toThrow(/not set/);
    await expect(keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: "k1:c2hvcnQ" })).rejects.toThrow(/32 bytes/);
    await expect(keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: k1, CONTENT_ENCRYPTION_ACTIVE_KID: "nope" })).rejects.toThrow(/ACTIVE_KID/);
    const err = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: "k1:c2hvcnQ" }).catch((e: Error) => e.message);
    expect(err).not.toContain("c2hvcnQ");
  });
});
