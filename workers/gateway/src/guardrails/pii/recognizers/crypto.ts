import type { RawFinding, Recognizer } from "../../types";
import { bech32Valid } from "../checksums";
import { matches } from "../context";
import { sha256Sync as sha256 } from "../../../../../../shared/crypto/sha256";

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const LEGACY = /\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b/g;
const SEGWIT = /\bbc1[02-9ac-hj-np-z]{11,71}\b/gi;
const ETH = /\b0x[0-9a-fA-F]{40}\b/g;

function base58Decode(s: string): Uint8Array | null {
  const bytes: number[] = [0];
  for (const c of s) {
    let carry = BASE58.indexOf(c);
    if (carry < 0) return null;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] ?? 0) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const c of s) {
    if (c !== "1") break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** Base58Check: last 4 bytes are the first 4 of double SHA-256 of the rest. */
export function base58CheckValid(addr: string): boolean {
  const raw = base58Decode(addr);
  if (raw === null || raw.length !== 25) return false;
  const sum = sha256(sha256(raw.subarray(0, 21)));
  return sum[0] === raw[21] && sum[1] === raw[22] && sum[2] === raw[23] && sum[3] === raw[24];
}

export const cryptoRecognizer: Recognizer = {
  name: "crypto",
  types: ["CRYPTO"],
  find(text) {
    const out: RawFinding[] = [];
    const add = (m: RegExpExecArray, score: number): void => {
      out.push({ type: "CRYPTO", start: m.index, end: m.index + m[0].length, score });
    };
    for (const m of matches(LEGACY, text)) if (base58CheckValid(m[0])) add(m, 1);
    for (const m of matches(SEGWIT, text)) if (bech32Valid(m[0])) add(m, 1);
    // EIP-55 needs Keccak; the 0x+40 hex shape alone is specific enough for a 0.8.
    for (const m of matches(ETH, text)) add(m, 0.8);
    return out;
  },
};
