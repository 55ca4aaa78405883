import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { bytesToHex, sha256Hex } from "./sha256";

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
