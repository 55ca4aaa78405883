import { describe, expect, it } from "vitest";
import { featurize, HASH_DIM } from "../../../workers/gateway/src/router/features/featurize";
import { checkFeedback, MIN_FEEDBACK_ROWS } from "./feedback-gate";
import { fitFeedbackNgrams, type FeedbackRow } from "./feedback-ngrams";
import { toSparse, type SparseVec } from "./mlp";
import { mulberry32 } from "./rng";

const row = (prompt: string, smallOk: boolean): FeedbackRow => ({ x: toSparse(featurize({ prompt })), y: smallOk ? 0 : 1, weight: 3 });
const base = (): number => -1; // the base router: every prompt looks fairly easy
const anchors: SparseVec[] = ["Summarise this paragraph in one line.", "Translate 'good morning' into Italian.", "What day comes after Tuesday?"].map((p) => toSparse(featurize({ prompt: p })));
const fit = (rows: readonly FeedbackRow[]): Float32Array => fitFeedbackNgrams(base, rows, anchors, { seed: 1, epochs: 20, hashDim: HASH_DIM });

const topics = ["harbour lights", "a broken kettle", "late trains", "winter onions", "the night shift", "a paper kite", "old maps", "river fog", "a quiet library", "copper wire", "spring hail", "a lost glove"];
const chores = ["List three uses for baking soda.", "Convert 12 miles to kilometres.", "Name the planet closest to the sun.", "Give a synonym for 'rapid'.", "Spell 'necessary' backwards.", "What is 15% of 80?", "Name two primary colours.", "Which month has 28 days in a common year?", "Suggest a title for a blog post on composting.", "Define the word 'estuary'.", "What is the plural of 'cactus'?", "Round 3.847 to one decimal place."];

describe("feedback n-grams are applied only when they beat the base router out of fold", () => {
  it("applies them for a distinct prompt type the small tier keeps failing", () => {
    const feedback = [...topics.map((t) => row(`Write a sonnet about ${t} with an ABAB rhyme scheme.`, false)), ...chores.map((c) => row(c, true))];
    const check = checkFeedback(base, feedback, fit, 1);
    expect(check.applied).toBe(true);
    expect(check.tunedLogLoss!).toBeLessThan(check.baseLogLoss!);
    expect(check.tunedAuc!).toBeGreaterThan(check.baseAuc!);
  });

  it("refuses them when the verdicts carry no word-level signal", () => {
    const rng = mulberry32(3);
    const prompts = [...chores, ...topics.map((t) => `Describe ${t} in two sentences.`), ...chores.map((c) => `Quickly: ${c}`)];
    // Verdicts at the base rate the base router already predicts (sigmoid(-1) ~ 27% not ok), drawn at random.
    const feedback = prompts.map((p) => row(p, rng() >= 0.27));
    const check = checkFeedback(base, feedback, fit, 1);
    expect(check.applied).toBe(false);
    expect(check.reason).toMatch(/did not lower|ranked the held-out verdicts worse/);
  });

  it("does not apply what it cannot check", () => {
    const feedback = topics.slice(0, MIN_FEEDBACK_ROWS - 1).map((t) => row(`Write a sonnet about ${t}.`, false));
    const check = checkFeedback(base, feedback, fit, 1);
    expect(check).toMatchObject({ applied: false, rows: MIN_FEEDBACK_ROWS - 1, baseLogLoss: null });
  });
});
