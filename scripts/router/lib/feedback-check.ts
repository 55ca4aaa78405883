/**
 * Why a --feedback file cannot train anything, or null. Training on the corpus alone would look
 * like a success, so an empty export, the wrong file, or an export without one judged small-tier
 * outcome (the only feedback the trainer learns from: train-router.ts) is an error.
 */
import type { RouterTrainingExample } from "../../../shared/schemas/router-training-example";

export function feedbackProblem(file: string, feedback: readonly RouterTrainingExample[]): string | null {
  if (feedback.length === 0) {
    return `router:train: ${file} has no feedback rows (lines with "source": "feedback"); nothing was trained. Judge some traffic, then export it: GET /admin/v1/datasets/retraining?since=... (needs content keys in both Workers and the content:read scope).`;
  }
  if (!feedback.some((e) => e.small_ok !== undefined)) {
    return `router:train: ${file} has ${feedback.length} feedback rows but none with small_ok (a judged small-tier answer); nothing to learn, nothing was trained. Send some traffic to the small tier (a router canary, a quality target or cascade), or let the shadow small-tier sample (router.shadowSmallRate / SHADOW_SMALL_RATE, docs/router.md) answer a share of frontier-served prompts, let the judges score it, then export again.`;
  }
  return null;
}

/** What the trainer will learn from: small_ok labels by source (served small answers, shadows of frontier-served prompts). */
export function feedbackSummary(feedback: readonly RouterTrainingExample[]): string {
  const labelled = feedback.filter((e) => e.small_ok !== undefined);
  const shadow = labelled.filter((e) => e.small_ok_source === "shadow").length;
  return `feedback: ${labelled.length} judged small-tier outcomes (${labelled.length - shadow} served on the small tier, ${shadow} shadow answers to frontier-served prompts) of ${feedback.length} feedback rows (only those move the router)`;
}
