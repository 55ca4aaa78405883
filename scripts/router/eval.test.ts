import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assembleCorpus } from "./corpus/assemble";
import { evaluate } from "./eval";
import { aucStandardError, lodoReport, MULTIPLE_CHOICE_FAMILIES, type BelowLength } from "./lib/lodo-report";
import { belowLengthNote, lodoMarkdown } from "./lib/lodo-table";
import { SHIPPED_MODEL } from "./lib/reference-backend";
import { routingReport, type RoutingReport } from "./lib/routellm-metrics";
import { ROUTING_LABELS } from "./outcomes/labels";
import { loadRoutingSets } from "./outcomes/load-routing-sets";

describe("router:eval", () => {
  it("reports APGR/CPT for prompt-only routing and cascade on the sample CSV, beating random", async () => {
    const report = await evaluate(readFileSync("data/router/eval-sample.csv", "utf8"), "small", "frontier", SHIPPED_MODEL);
    const p = report.prompt_only as RoutingReport;
    const c = report.cascade as RoutingReport;
    expect(report.rows).toBe(32);
    expect(p.qStrong).toBeGreaterThan(p.qWeak);
    expect(p.apgr).toBeGreaterThan(0.6);
    expect(p.cpt80).toBeLessThan(0.8);
    expect(c.apgr).toBeGreaterThan(0.5);
  });

  it("rejects a CSV without the named columns", async () => {
    await expect(evaluate("prompt,a\nhi,true\n", "a", "b", SHIPPED_MODEL)).rejects.toThrow(/missing column "b"/);
  });
});

describe("router:eval --lodo (on the project's fixtures)", () => {
  const { rows } = loadRoutingSets(fileURLToPath(new URL("./outcomes/fixtures/", import.meta.url)), ROUTING_LABELS);
  const report = lodoReport(assembleCorpus(7).filter((_, i) => i % 8 === 0), rows, { seed: 3, epochs: 4, hidden: 8 });

  it("scores every set with the Mixtral/GPT-4 pair beside the length and random baselines on the same rows", () => {
    const sets = report.lines.filter((l) => l.pair === "mixtral-gpt4").map((l) => l.set);
    expect(sets).toEqual(["gsm8k", "mmlu", "arc_challenge"]);
    const gsm = report.lines[0]!;
    const gsmRows = rows.filter((r) => r.family === "gsm8k" && r.pair === "mixtral-gpt4");
    expect(gsm.rows).toBe(gsmRows.length);
    expect(gsm.length.apgr).toBeCloseTo(routingReport(gsmRows.map((r) => ({ score: r.prompt.length, weakOk: r.weakOk, strongOk: r.strongOk }))).apgr);
    for (const l of report.lines) for (const s of [l.heldOut, l.dev, l.length, l.random]) expect(Number.isFinite(s.apgr)).toBe(true);
    expect(report.pooled?.rows).toBe(rows.filter((r) => r.pair === "mixtral-gpt4").length);
    expect(report.mmluSubjectFolds?.rows).toBe(rows.filter((r) => r.family === "mmlu").length);
  });

  it("leaves out pairs whose strong model is not ahead and picks the default threshold at >= 95% quality", () => {
    expect(report.skipped.every((k) => k.qStrong - k.qWeak < 0.05)).toBe(true);
    const chosen = report.thresholds.find((t) => t.threshold === report.defaultThreshold);
    if (chosen) expect(chosen.quality).toBeGreaterThanOrEqual(0.95);
    const md = lodoMarkdown(report);
    expect(md).toContain("| gsm8k | Mixtral → GPT-4 |");
    expect(md).toContain("held-out APGR");
  });
});

describe("router:eval --lodo: sets below the length baseline", () => {
  const { rows } = loadRoutingSets(fileURLToPath(new URL("./outcomes/fixtures/", import.meta.url)), ROUTING_LABELS);
  const report = lodoReport(assembleCorpus(7).filter((_, i) => i % 8 === 0), rows, { seed: 3, epochs: 4, hidden: 8 });

  it("diagnoses exactly the sets left out whole whose held-out score is below length", () => {
    const below = report.lines.filter((l) => l.heldOut.apgr < l.length.apgr).map((l) => `${l.set}/${l.pair}`);
    expect(report.belowLength.map((b) => `${b.set}/${b.pair}`)).toEqual(below);
    for (const b of report.belowLength) {
      expect(b.gap).toBeLessThan(0);
      expect(b.gapP5).toBeLessThanOrEqual(b.gapP95);
      expect(b.gapBelowShare).toBeGreaterThanOrEqual(0);
      expect(Object.keys(b.active)).not.toContain("log_chars");
    }
  });

  it("calls a set multiple choice in origin by its family, never a free-form one, and gives the prior's standard error", () => {
    expect(report.belowLength.length).toBeGreaterThan(0);
    for (const b of report.belowLength) {
      if (MULTIPLE_CHOICE_FAMILIES.has(b.set)) expect(b.multipleChoiceOrigin).toBe(true);
      if (b.set === "gsm8k" || b.set === "mbpp") expect(b.multipleChoiceOrigin).toBe(false);
      if (!b.multipleChoiceOrigin) expect(belowLengthNote(b)).not.toContain("answer options");
      expect(b.priorAucSe).toBeGreaterThan(0);
    }
    expect(MULTIPLE_CHOICE_FAMILIES.has("commonsense_qa")).toBe(true);
  });

  it("computes the Hanley–McNeil standard error of an AUC", () => {
    // 100 positives, 400 negatives, AUC 0.5: Q1 = 1/3, Q2 = 1/3, SE = sqrt((0.25 + 99/12 + 399/12) / 40000).
    expect(aucStandardError(0.5, 100, 400)).toBeCloseTo(Math.sqrt((0.25 + 99 / 12 + 399 / 12) / 40_000), 12);
    expect(aucStandardError(0.9, 100, 400)).toBeLessThan(aucStandardError(0.5, 100, 400));
    expect(aucStandardError(0.5, 0, 10)).toBeNaN();
  });

  const base: BelowLength = {
    set: "short_questions", pair: "llama8b-nemotron51b", gap: -0.08, lengthApgr: 0.6, gapBelowShare: 0.9, gapP5: -0.2, gapP95: 0.03, medianChars: 60,
    active: { hard_words: 0.01, log_quantities: 0.05, number_words: 0.04, negations: 0.03, conjunctions: 0.1, log_option_len: 0 },
    multipleChoiceOrigin: true, lengthAuc: 0.56, priorAuc: 0.47, priorAucSe: 0.04, dev: 0.5, devWithoutPrior: 0.55,
  };

  it("names what was checked and the cause it points to", () => {
    const note = belowLengthNote(base);
    expect(note).toContain("held-out − length -0.080; below length in 90% of bootstrap resamples (5th–95th percentile -0.200 to 0.030)");
    expect(note).toContain("log_option_len 0%");
    expect(note).toContain("corpus prior 0.470 (Hanley–McNeil SE 0.040)");
    expect(note).toContain("Cause: its prompts carry no answer options though the benchmark is multiple choice");
    // 0.47 is within two standard errors of 0.5: no signal, not "backwards".
    expect(note).toContain("the corpus prior carries no signal on these rows (AUC within 2 SE of 0.5) and dilutes length's weak signal, though even without it the model stays below length (0.550 vs 0.600)");
    expect(note).not.toContain("backwards");
    // With options laid out, features firing and a prior that ranks the right way, the checks find nothing.
    const none = belowLengthNote({
      ...base, set: "exam", pair: "mixtral-gpt4", gap: -0.01, lengthApgr: 0.55, gapBelowShare: 0.6, gapP5: -0.05, gapP95: 0.04, medianChars: 300,
      active: { hard_words: 0.3, log_quantities: 0.4, number_words: 0.2, negations: 0.4, conjunctions: 0.6, log_option_len: 1 },
      lengthAuc: 0.55, priorAuc: 0.58, priorAucSe: 0.02, dev: 0.56, devWithoutPrior: 0.55,
    });
    expect(none).toContain("No cause found among these checks.");
  });

  it("says 'backwards' only beyond two standard errors, and 'no answer options' only for a multiple-choice benchmark", () => {
    expect(belowLengthNote({ ...base, priorAuc: 0.41, priorAucSe: 0.04 })).toContain("the corpus prior ranks these rows backwards and dilutes");
    expect(belowLengthNote({ ...base, priorAuc: 0.43, priorAucSe: 0.04 })).toContain("carries no signal");
    const freeForm = belowLengthNote({ ...base, set: "word_problems", multipleChoiceOrigin: false });
    expect(freeForm).not.toContain("answer options");
    expect(freeForm).toContain("Cause: the other within-task inputs rarely fire");
    // A prior with no signal that does not dilute (dev no better without it) is no cause; a backwards one still is.
    expect(belowLengthNote({ ...base, devWithoutPrior: 0.49 })).not.toContain("corpus prior carries");
    expect(belowLengthNote({ ...base, devWithoutPrior: 0.49, priorAuc: 0.3 })).toMatch(/the corpus prior ranks these rows backwards\.$/);
  });
});
