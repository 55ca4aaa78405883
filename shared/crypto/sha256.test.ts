import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash, createHmac } from "node:crypto";
import { bytesToHex, hmacSha256, sha256Hex, sha256Sync } from "./sha256";

describe("sha256Hex", () => {
  it("matches the known vectors", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashes text as UTF-8 and bytes as they are, like Node's hash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme" }), async (s) => {
        expect(await sha256Hex(s)).toBe(createHash("sha256").update(s, "utf8").digest("hex"));
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (b) => {
        expect(await sha256Hex(b)).toBe(createHash("sha256").update(b).digest("hex"));
        expect(bytesToHex(b)).toBe(Buffer.from(b).toString("hex"));
      }),
    );
  });
});

describe("sha256Sync and hmacSha256", () => {
  it("match Node's hash and HMAC (keys shorter and longer than a block)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.string({ maxLength: 100 }), (message, key) => {
        expect(bytesToHex(sha256Sync(message))).toBe(createHash("sha256").update(message, "utf8").digest("hex"));
        expect(bytesToHex(hmacSha256(key, message))).toBe(createHmac("sha256", key).update(message, "utf8").digest("hex"));
      }),
    );
  });

  it("gives RFC 4231's test case 2", () => {
    expect(bytesToHex(hmacSha256("Jefe", "what do ya want for nothing?"))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
});
