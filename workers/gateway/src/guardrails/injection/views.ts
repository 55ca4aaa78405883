/**
 * Alternative readings of a text that undo common smuggling tricks before screening:
 * leetspeak ("1gn0r3"), spaced or dotted letters ("i g n o r e"), invisible characters,
 * homoglyphs and hidden tag text (via normalizeForDetection), base64, hex/binary, escapes,
 * Morse, reversed text and ROT13 (decoders.ts). Each view is screened; the verdict is the worst one.
 */
import { hiddenText } from "../invisible";
import { normalizeForDetection } from "../normalize";
import { decodeBase64Text } from "../pii/encoded";
import { tokenRuns } from "../pii/runs";
import { decodeEscapes, decodeHexAndBinary, decodeReversedOrRot13 } from "./decoders";

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
  /** Overlapping stretches of a long plain view (start offsets into it): a payload buried in a document is read undiluted. */
  windows: Array<{ start: number; text: string }>;
  /** Extra readings, only those that differ from plain, named for the reasons list. */
  extra: Array<{ name: string; text: string }>;
}

export function viewsOf(text: string): TextViews {
  const bounded = bound(text);
  // ASCII text has nothing to normalize: skip building the offset maps.
  const normalized = /[^\x00-\x7F]/.test(bounded) ? normalizeForDetection(bounded).text : bounded;
  const plain = normalized.toLowerCase();
  const extra = new Map<string, string>();
  const add = (name: string, view: string | null): void => {
    if (view && view !== plain && ![...extra.values()].includes(view)) extra.set(name, view);
  };
  // Cheap gates first: most texts have no leet-mixed words and no runs of single letters.
  if (/\p{L}[013457@$!|]|[013457@$!|]\p{L}/u.test(plain)) add("leetspeak", deLeet(plain));
  if (/(?:^|[^\p{L}\d])[\p{L}\d][ .\-_*]{1,3}[\p{L}\d][ .\-_*]{1,3}[\p{L}\d][ .\-_*]/u.test(plain)) add("spaced", despace(plain));
  // Text hidden in tag characters or selector runs is also read on its own, undiluted by the
  // visible text around it (normalizeForDetection already decoded it in place).
  add("hidden", hiddenText(text).toLowerCase());
  add("base64", decodedBlobs(normalized).toLowerCase());
  add("morse", decodeMorse(plain));
  if (/[0-9a-f]{12}|[01]{8}/i.test(plain)) add("hex", decodeHexAndBinary(plain)?.toLowerCase() ?? null);
  if (/[%\\&]/.test(plain)) add("escapes", decodeEscapes(plain)?.toLowerCase() ?? null);
  for (const r of decodeReversedOrRot13(plain)) add(r.name, r.text);
  return { plain, windows: windowsOf(plain), extra: [...extra].map(([name, view]) => ({ name, text: view })) };
}

export const WINDOW = 200;
const MAX_WINDOWS = 64;

/**
 * Sentence-aligned windows of about WINDOW chars, a new one every half window, for texts longer
 * than two windows. Very long texts keep their first and last MAX_WINDOWS / 2 windows.
 */
export function windowsOf(plain: string): Array<{ start: number; text: string }> {
  if (plain.length <= WINDOW) return [];
  const cuts = [0];
  for (const m of plain.matchAll(/[.!?。！？\n]+\s*/g)) cuts.push(m.index + m[0].length);
  cuts.push(plain.length);
  const starts: number[] = [];
  let last = -WINDOW;
  for (let i = 0; i < cuts.length - 1; i++) {
    for (let at = cuts[i] ?? 0; at < (cuts[i + 1] ?? 0); at += WINDOW) if (at - last >= WINDOW / 2) starts.push((last = at));
  }
  const out = starts.map((st) => ({ start: st, text: plain.slice(st, st + WINDOW) }));
  return out.length <= MAX_WINDOWS ? out : [...out.slice(0, MAX_WINDOWS / 2), ...out.slice(-MAX_WINDOWS / 2)];
}
