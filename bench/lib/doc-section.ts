/**
 * A marked section inside a docs/benchmarks/<area>.md that another benchmark writes: one script
 * owns the file and rewrites it whole, a second one owns only the section between the markers.
 * The owner appends `keptSection` when it rewrites, so neither run erases the other's numbers.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const markers = (id: string): [string, string] => [`<!-- section:${id} -->`, `<!-- /section:${id} -->`];

/** The section as it stands in the file, markers included, or "" when there is none. */
export function keptSection(path: string, id: string): string {
  if (!existsSync(path)) return "";
  const text = readFileSync(path, "utf8");
  const [open, close] = markers(id);
  const from = text.indexOf(open);
  const to = text.indexOf(close, from);
  return from === -1 || to === -1 ? "" : `${text.slice(from, to + close.length)}\n`;
}

/** Replaces the section's body in place, or appends the section when the file has none. */
export function writeSection(path: string, id: string, body: string): void {
  const [open, close] = markers(id);
  const section = `${open}\n${body.trim()}\n${close}`;
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const from = text.indexOf(open);
  const to = from === -1 ? -1 : text.indexOf(close, from);
  const next = to === -1 ? `${text.trimEnd()}${text ? "\n\n" : ""}${section}\n` : `${text.slice(0, from)}${section}${text.slice(to + close.length)}`;
  writeFileSync(path, next);
}
