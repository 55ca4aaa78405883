/**
 * Applies the real migrations/ folder, in order, to a D1 database (tests and bench). D1's
 * exec() treats each line as a statement, so files are split into whole statements here,
 * keeping CREATE TRIGGER ... BEGIN ... END bodies together.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../../../migrations");

export function splitStatements(sql: string): string[] {
  const lines = sql.split("\n").filter((l) => !l.trim().startsWith("--"));
  const out: string[] = [];
  let current: string[] = [];
  let inTrigger = false;
  for (const line of lines) {
    current.push(line);
    if (/\bBEGIN\b/i.test(line) && /CREATE\s+TRIGGER/i.test(current.join(" "))) inTrigger = true;
    const ends = inTrigger ? /^\s*END\s*;\s*$/i.test(line) : /;\s*$/.test(line);
    if (ends) {
      out.push(current.join("\n").trim());
      current = [];
      inTrigger = false;
    }
  }
  const rest = current.join("\n").trim();
  if (rest) out.push(rest);
  return out.filter((s) => s.length > 0);
}

export async function applyMigrations(db: D1Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
  for (const file of files) {
    const statements = splitStatements(readFileSync(join(dir, file), "utf8"));
    // One batch (one transaction) per file: on Miniflare each call is a blocking round trip
    // from Node to workerd, and per-statement calls made this ~2x slower (most of a test file's setup).
    if (statements.length) await db.batch(statements.map((s) => db.prepare(s)));
  }
  return files;
}
