/**
 * Held-out discipline, enforced: no test or test fixture in the repository, and no comment or
 * doc of the cache, quotes a sentence of the STS-B development pairs the cache's guards and
 * thresholds are chosen on. Reads the shared data set only where it exists (skipped on a clone
 * without /work/shared/data).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { indexDevSentences, quotedDevText, stringLiterals } from "./dev-sentences";

const ROOT = resolve(import.meta.dirname, "../../../../..");
const DEV = resolve(ROOT, "../shared/data/stsb-en-dev/stsb-en-dev.csv");
const SKIP = new Set(["node_modules", ".git", "dist", ".wrangler"]);

/** Every test and test fixture in the repository, and all of the cache's own code and docs. */
function scanned(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const path = join(dir, e.name);
    const rel = relative(ROOT, path);
    if (e.isDirectory()) scanned(path, out);
    else if (/\.test\.ts$|[/\\](testing|fixtures)[/\\].*\.ts$/.test(rel) || (rel.startsWith(CACHE_SRC) && rel.endsWith(".ts"))) out.push(path);
  }
  return out;
}
const CACHE_SRC = join("workers", "gateway", "src", "cache");
const DOCS = ["docs/semantic-cache.md"];

describe("dev-set sentences in tests", () => {
  it("finds a planted quote and ignores text of our own", () => {
    const index = indexDevSentences(["A small dog runs across the green field.", "Prices rose by five percent in May."]);
    expect(quotedDevText("expect a small dog runs across the green field here", index)).not.toEqual([]);
    expect(quotedDevText("How do I reset my password?", index)).toEqual([]);
    expect(stringLiterals(`f("one", 'two', \`three\`)`)).toEqual(["one", "two", "three"]);
  });

  it.skipIf(!existsSync(DEV))("no test, and nothing in the cache's code or docs, quotes a sentence of stsb-en-dev", () => {
    const rows = parse(readFileSync(DEV, "utf8"), { relax_quotes: true }) as string[][];
    const index = indexDevSentences(rows.flatMap(([a = "", b = ""]) => [a, b]));
    const offenders: string[] = [];
    for (const file of [...scanned(ROOT), ...DOCS.map((d) => join(ROOT, d))]) {
      for (const literal of stringLiterals(readFileSync(file, "utf8"))) {
        for (const q of quotedDevText(literal, index)) offenders.push(`${relative(ROOT, file)}: "${q}"`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
