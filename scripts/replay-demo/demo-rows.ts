/**
 * `npm run replay:demo`'s logic, kept apart from its I/O so it can be tested on rows of our own:
 * which recorded GSM8K rows the demo sends, the simulator replay lines that make `npm start`
 * answer them with the models' real answers, and how a served answer and the `x-cascade`
 * header are read back.
 */
import type { Gsm8kRecord } from "../cascade/lib/draft-rows";

export type DemoKind = "small wrong" | "small right";

export interface DemoRow {
  kind: DemoKind;
  record: Gsm8kRecord;
}

/**
 * The first `wrong` rows (file order) whose recorded small answer is wrong while the frontier's
 * is right (an escalation would fix them), then the first `right` rows where both are right (a
 * served draft loses nothing). Fixed by file order, not by what the verifier says of them.
 */
export function pickDemoRows(records: readonly Gsm8kRecord[], wrong: number, right: number): DemoRow[] {
  const take = (kind: DemoKind, n: number, keep: (r: Gsm8kRecord) => boolean): DemoRow[] => records.filter(keep).slice(0, n).map((record) => ({ kind, record }));
  return [...take("small wrong", wrong, (r) => !r.smallOk && r.frontierOk), ...take("small right", right, (r) => r.smallOk && r.frontierOk)];
}

/** The simulator's replay JSONL (gpu-backends/simulator/src/replay.ts): each tier answers with its model's recorded answer. */
export function replayJsonl(rows: readonly DemoRow[]): string {
  return rows
    .flatMap(({ record: r }) => [
      { model: "small-sim", prompt: r.prompt, response: r.smallResponse },
      { model: "frontier-sim", prompt: r.prompt, response: r.frontierResponse },
    ])
    .map((e) => JSON.stringify(e))
    .join("\n")
    .concat("\n");
}

export type ServedAnswer = "small" | "frontier" | "neither";

/** Which recorded answer the client received (the simulator replays them verbatim; "neither" = not replayed). */
export function servedAnswer(content: string, record: Gsm8kRecord): ServedAnswer {
  const text = content.trim();
  if (text === record.smallResponse.trim()) return "small";
  if (text === record.frontierResponse.trim()) return "frontier";
  return "neither";
}

/** Whether the served answer is the recorded correct one, from the correctness label of the model that wrote it. */
export function servedCorrect(served: ServedAnswer, record: Gsm8kRecord): boolean | null {
  return served === "small" ? record.smallOk : served === "frontier" ? record.frontierOk : null;
}

export interface CascadeOutcome {
  outcome: "accepted" | "escalated" | "none";
  /** accepted: the tier whose draft was served; escalated: the verifier's reasons. */
  detail: string[];
}

/** `x-cascade: accepted:small` or `escalated:p_wrong+arith_wrong` (chat/cascade.ts); absent when the request did not draft. */
export function parseCascade(header: string | null): CascadeOutcome {
  const m = /^(accepted|escalated):(.*)$/.exec(header?.trim() ?? "");
  if (!m) return { outcome: "none", detail: [] };
  return { outcome: m[1] as "accepted" | "escalated", detail: m[2]!.split("+").filter(Boolean) };
}
