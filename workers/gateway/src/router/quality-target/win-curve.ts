/**
 * The small tier's wins, as a function of complexity: P(the small tier is right where the
 * frontier is wrong | complexity c) = sigmoid(alpha · logit(c) + beta). complexity alone counts
 * the requests where the small tier is worse; a quality target that only counted those would
 * overstate the loss of sending a request to the small tier by its chance of being better (1-8%
 * of prompts on the shared sets). The curve is the second Platt calibration of the same held-out
 * logits (router:train: P(small better) on leave-one-dataset-out predictions, each set weighted
 * equally), rewritten on the complexity scale, and shipped in the model's manifest: it belongs to
 * one model file and one calibration, so it travels with them.
 */
import { z } from "zod";

export const WinCurveSchema = z.object({ alpha: z.number().finite(), beta: z.number().finite() });
export type WinCurve = z.infer<typeof WinCurveSchema>;

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/** P(small better) at complexity c. */
export const winProbability = (w: WinCurve, c: number): number => 1 / (1 + Math.exp(-(w.alpha * logit(c) + w.beta)));

/**
 * Expected net loss of serving on the small tier n requests whose complexities sum to `sum` (one
 * histogram bin, 0.005 wide, so the curve is read at the bin's mean): the summed P(small worse)
 * minus the summed P(small better), never below 0: a calibration curve read far outside the range
 * it was fitted on must not buy budget.
 */
export const netLoss = (w: WinCurve, n: number, sum: number): number => (n > 0 ? Math.max(0, sum - n * winProbability(w, sum / n)) : 0);

/**
 * Both Platt calibrations of one raw logit z: complexity = sigmoid(a·z + b) and P(small better)
 * = sigmoid(a2·z + b2). Solving the first for z gives the second in terms of complexity.
 */
export function winCurveOf(loss: { a: number; b: number }, win: { a: number; b: number }): WinCurve {
  if (!(Math.abs(loss.a) > 1e-9)) throw new Error("winCurveOf: the complexity calibration has no slope");
  const alpha = win.a / loss.a;
  return { alpha, beta: win.b - alpha * loss.b };
}
