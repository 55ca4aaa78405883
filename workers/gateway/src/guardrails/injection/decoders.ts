/**
 * Decoders for encodings that hide an instruction from a text classifier but not from the model
 * (which reads hex, escapes, reversed text and ROT13 well enough to follow them). Each returns
 * the decoded reading, or null when the text does not carry that encoding; all are gated by a
 * cheap test so ordinary prompts pay almost nothing.
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function utf8(bytes: number[]): string | null {
  try {
    const s = UTF8.decode(Uint8Array.from(bytes));
    return /^[\P{C}\n\r\t]*$/u.test(s) && /\p{L}{3}/u.test(s) ? s : null;
  } catch {
    return null;
  }
}

const HEX_RUN = /(?:(?:0x|\\x)?[0-9a-f]{2}[\s,:-]?){12,}/gi;
const BIN_RUN = /(?:[01]{8}[\s,]?){6,}/g;

/** Runs of hex byte pairs ("69676e6f7265", "0x69 0x67", "\x69\x67") and of 8-bit binary groups. */
export function decodeHexAndBinary(text: string): string | null {
  const out: string[] = [];
  for (const m of text.matchAll(HEX_RUN)) {
    const pairs = m[0].replace(/0x|\\x|[\s,:-]/gi, "");
    if (pairs.length % 2 === 0 && /[a-f]/i.test(pairs)) {
      const s = utf8(pairs.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
      if (s) out.push(s);
    }
    if (out.length >= 16) break;
  }
  for (const m of text.matchAll(BIN_RUN)) {
    const s = utf8(m[0].replace(/[\s,]/g, "").match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? []);
    if (s) out.push(s);
    if (out.length >= 16) break;
  }
  return out.length ? out.join("\n") : null;
}

const ESCAPE = /%[0-9a-f]{2}|\\u[0-9a-f]{4}|&#x[0-9a-f]{1,6};|&#\d{1,7};/gi;

/** URL percent-encoding, \uXXXX escapes and numeric HTML entities, when a text has several. */
export function decodeEscapes(text: string): string | null {
  if ((text.match(ESCAPE)?.length ?? 0) < 6) return null;
  const bytes = (run: string): string => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  };
  return text
    .replace(/(?:%[0-9a-f]{2})+/gi, bytes)
    .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9a-f]{1,6});|&#(\d{1,7});/gi, (m, h?: string, d?: string) => {
      const cp = h ? parseInt(h, 16) : parseInt(d ?? "", 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    });
}

// Words frequent in English prose and in attacks. A text that shares few of them when read
// forwards but many when read backwards (or in ROT13) is written that way on purpose.
const COMMON = new Set(
  "the and you your all to of is in that it for on with this me be are not now from what how please ignore previous instructions prompt system tell reveal rules any must do say".split(" "),
);

const reverse = (s: string): string => [...s].reverse().join("");
const rot13 = (s: string): string => s.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));

// The common words as they read in a reversed or ROT13 text: its hits are counted on the words
// of the text as written, without building the decoded text first (most texts are neither).
const COMMON_REVERSED = new Set([...COMMON].map(reverse));
const COMMON_ROT13 = new Set([...COMMON].map(rot13));

function hits(words: readonly string[], set: ReadonlySet<string>): number {
  let n = 0;
  for (const w of words) if (set.has(w)) n++;
  return n;
}

/** Reversed text ("snoitcurtsni suoiverp erongi") or ROT13, for lower-cased input that reads as neither forwards. */
export function decodeReversedOrRot13(lower: string): Array<{ name: string; text: string }> {
  if (lower.length < 12) return [];
  // The first 2,000 chars decide: a text written backwards is written so throughout. (For the
  // reversed reading those are the last 2,000 of the text as written; ROT13 keeps positions.)
  const headWords = lower.slice(0, 2000).split(/[^a-z]+/);
  const words = headWords.filter(Boolean).length;
  const forward = hits(headWords, COMMON);
  // Ordinary English is ~40% such words; anything above 15% is read as written.
  if (words === 0 || forward / words >= 0.15) return [];
  const tailWords = lower.length <= 2000 ? headWords : lower.slice(-2000).split(/[^a-z]+/);
  const out: Array<{ name: string; text: string }> = [];
  const decoded = [
    ["reversed", hits(tailWords, COMMON_REVERSED), () => reverse(lower)],
    ["rot13", hits(headWords, COMMON_ROT13), () => rot13(lower)],
  ] as const;
  for (const [name, n, text] of decoded) if (n >= 3 && n > forward * 2) out.push({ name, text: text() });
  return out;
}
