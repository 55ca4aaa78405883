/**
 * Reads a Python list-of-strings literal as RouterBench stores prompts (`['...']`, repr of a
 * list): single- or double-quoted items with backslash escapes. Anything else is an error.
 */
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" };

function readString(s: string, start: number): [string, number] {
  const quote = s[start];
  let out = "";
  let i = start + 1;
  while (i < s.length && s[i] !== quote) {
    if (s[i] !== "\\") {
      out += s[i++];
      continue;
    }
    const c = s[i + 1] ?? "";
    const hex = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
    if (hex) {
      out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 2 + hex), 16));
      i += 2 + hex;
    } else {
      out += ESCAPES[c] ?? `\\${c}`;
      i += 2;
    }
  }
  if (i >= s.length) throw new Error("python literal: unterminated string");
  return [out, i + 1];
}

export function parsePythonStringList(text: string): string[] {
  const s = text.trim();
  if (!s.startsWith("[") || !s.endsWith("]")) throw new Error("python literal: not a list");
  const items: string[] = [];
  let i = 1;
  while (i < s.length - 1) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      const [item, next] = readString(s, i);
      items.push(item);
      i = next;
    } else if (c === "," || c === " " || c === "\n") i++;
    else throw new Error(`python literal: unexpected "${c}"`);
  }
  return items;
}
