/**
 * docs/evaluator.md states how many answers a cheap judge triages a call; the number lives in
 * the JUDGES var of workers/evaluator/wrangler.toml (local and [env.production]). The text kept
 * an old local value after the config changed (issue 14), so the two are checked together.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJudges } from "./config";

const ROOT = resolve(import.meta.dirname, "../../../..");
const read = (path: string): string => readFileSync(resolve(ROOT, path), "utf8");

/** The cheap judges' `batch` of every JUDGES line in the file (one per environment). */
function configuredBatches(toml: string): number[] {
  const lines = [...toml.matchAll(/^JUDGES = '(.*)'$/gm)].map((m) => m[1] as string);
  expect(lines.length).toBeGreaterThanOrEqual(2);
  return lines.flatMap((raw) => parseJudges(raw, { SIMULATOR_URL: "http://127.0.0.1:1" }).filter((j) => j.tier === "cheap").map((j) => j.batch));
}

describe("docs/evaluator.md and the JUDGES config", () => {
  it("states the cheap judges' answers per call as configured", () => {
    const batches = new Set(configuredBatches(read("workers/evaluator/wrangler.toml")));
    const doc = read("docs/evaluator.md");
    // "8 answers a call", "4-8 answers of one tenant a call": every number such a phrase names.
    const stated = [...doc.matchAll(/\b(\d+)(?:\s*[-–]\s*(\d+))? answers(?: of one tenant)? a call\b/g)].flatMap((m) => [m[1], m[2]].filter((n) => n !== undefined).map(Number));
    expect(stated.length).toBeGreaterThan(0);
    expect(stated.filter((n) => !batches.has(n))).toEqual([]);
  });
});
