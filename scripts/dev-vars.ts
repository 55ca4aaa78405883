/**
 * Local Worker secrets in `.dev.vars` files (dotenv syntax, read by `wrangler dev` from the
 * directory of each Worker's wrangler.toml). Only what the local tooling needs: read one
 * variable, add one if it is missing, or set one, without touching the rest of the file.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * A line that sets a variable, in every form dotenv (and so wrangler) accepts: `NAME=v`,
 * `export NAME=v`, `NAME: v`. Missing one would make the tooling append a second line for a
 * variable the user already set, and dotenv's last line would then override the user's value.
 */
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)\s*(.*?)\s*$/;
const assigns = (name: string): RegExp => new RegExp(`^\\s*(?:export\\s+)?${name}(?:\\s*=|:\\s)`);

/** The value of `name` in a .dev.vars file (quotes or an unquoted value's ` # comment` stripped; the last line wins, as in dotenv), or undefined. */
export function readDevVar(path: string, name: string): string | undefined {
  if (!existsSync(path)) return undefined;
  let found: string | undefined;
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (!m || m[1] !== name) continue;
    const value = m[2] ?? "";
    found = /^(["'`]).*\1$/.test(value) ? value.slice(1, -1) : value.replace(/\s*#.*$/, "");
  }
  return found;
}

/** Appends `name="value"` (mode 0600) unless the file already sets it; true when added. */
export function addDevVarIfMissing(path: string, name: string, value: string): boolean {
  if (readDevVar(path, name) !== undefined) return false;
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  const sep = current === "" || current.endsWith("\n") ? "" : "\n";
  appendFileSync(path, `${sep}${name}="${value}"\n`, { mode: 0o600 });
  return true;
}

/** Sets `name="value"` (mode 0600), replacing an existing line for it; true when the file changed. */
export function setDevVar(path: string, name: string, value: string): boolean {
  if (readDevVar(path, name) === value) return false;
  if (readDevVar(path, name) === undefined) return addDevVarIfMissing(path, name, value);
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const kept = lines.map((line) => (assigns(name).test(line) ? `${name}="${value}"` : line));
  writeFileSync(path, kept.join("\n"), { mode: 0o600 });
  return true;
}
