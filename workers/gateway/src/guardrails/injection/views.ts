/**
 * Alternative readings of a text that undo common smuggling tricks before screening:
 * leetspeak ("1gn0r3"), spaced or dotted letters ("i g n o r e"), invisible characters and
 * homoglyphs (via normalizeForDetection), and base64 payloads. Each view is screened; the
 * verdict is the worst one.
 */
import { hiddenText } from "../invisible";
import { normalizeForDetection } from "../normalize";
import { decodeBase64Text } from "../pii/encoded";
import { tokenRuns } from "../pii/runs";

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i", "|": "l" };
const SPACED = /(?<![\p{L}\d])(?:[\p{L}\d][ .\-_*]{1,3}){3,}[\p{L}\d](?![\p{L}\d])/gu;
const MAX_VIEW_CHARS = 100_000;

/** Keeps head and tail of very long texts: attacks sit at the edges, and time must stay bounded. */
export function bound(text: string): string {
  if (text.length <= MAX_VIEW_CHARS) return text;
  const half = MAX_VIEW_CHARS / 2;
  return `${text.slice(0, half)}\n${text.slice(-half)}`;
}

function deLeet(text: string): string {
  // Only words that mix letters with leet digits/symbols: plain numbers stay numbers.
  return text.replace(/[\p{L}\d@$!|]+/gu, (w) => (/\p{L}/u.test(w) && /[013457@$!|]/.test(w) ? w.replace(/[013457@$!|]/g, (c) => LEET[c] ?? c) : w));
}

function despace(text: string): string {
  return text.replace(SPACED, (m) => m.replace(/[ .\-_*]+/g, ""));
}

const MORSE: Record<string, string> = {
  ".-": "a", "-...": "b", "-.-.": "c", "-..": "d", ".": "e", "..-.": "f", "--.": "g", "....": "h", "..": "i", ".---": "j",
  "-.-": "k", ".-..": "l", "--": "m", "-.": "n", "---": "o", ".--.": "p", "--.-": "q", ".-.": "r", "...": "s", "-": "t",
  "..-": "u", "...-": "v", ".--": "w", "-..-": "x", "-.--": "y", "--..": "z",
};

/** Morse (".. --. -. --- .-. .") when the text is mostly dots and dashes; words split on 2+ spaces or "/". */
function decodeMorse(text: string): string | null {
  if (!/^[\s.\-/]{12}/.test(text.trimStart())) return null;
  const sig = text.replace(/\s/g, "");
  if (sig.length < 12 || (sig.match(/[.\-\/]/g)?.length ?? 0) < sig.length * 0.9) return null;
  return text
    .trim()
    .split(/\s{2,}|\s*\/\s*/)
    .map((w) => w.split(/\s+/).map((c) => MORSE[c] ?? "").join(""))
    .join(" ");
}

function decodedBlobs(text: string): string {
  const out: string[] = [];
  for (const [start, end] of tokenRuns(text, 16, 64)) {
    if (out.length >= 16) break;
    const d = decodeBase64Text(text.slice(start, end));
    if (d !== null) out.push(d);
  }
  return out.join("\n");
}

export interface TextViews {
  /** Normalized text, lower-cased: the main view. */
  plain: string;
  /** Extra views, only those that differ from plain. */
  extra: string[];
}

export function viewsOf(text: string): TextViews {
  const normalized = normalizeForDetection(bound(text)).text;
  const plain = normalized.toLowerCase();
  const extra = new Set<string>();
  // Cheap gates first: most texts have no leet-mixed words and no runs of single letters.
  if (/\p{L}[013457@$!|]|[013457@$!|]\p{L}/u.test(plain)) {
    const leet = deLeet(plain);
    if (leet !== plain) extra.add(leet);
  }
  if (/(?:^|[^\p{L}\d])[\p{L}\d][ .\-_*]{1,3}[\p{L}\d][ .\-_*]{1,3}[\p{L}\d][ .\-_*]/u.test(plain)) {
    const spaced = despace(plain);
    if (spaced !== plain) extra.add(spaced);
  }
  // Text hidden in tag characters or selector runs is also read on its own, undiluted by the
  // visible text around it (normalizeForDetection already decoded it in place).
  const hidden = hiddenText(text).toLowerCase();
  if (hidden) extra.add(hidden);
  const decoded = decodedBlobs(normalized).toLowerCase();
  if (decoded) extra.add(decoded);
  const morse = decodeMorse(plain);
  if (morse) extra.add(morse);
  return { plain, extra: [...extra] };
}
