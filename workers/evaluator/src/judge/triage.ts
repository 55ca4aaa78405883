/**
 * The cheap pass over a batch's answers: each cheap judge triages up to `batch` answers of one
 * tenant per call (never two tenants' exchanges in one prompt), within a prompt budget, calls
 * running `concurrency` at once. What a call was billed is shared among its answers by their
 * length, so every answer still gets its own judge ledger row (tenant, key, feature).
 */
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import { mapLimit } from "../concurrency";
import type { StoredContent } from "../trace/trace-record";
import type { Judge } from "./config";
import { callTriageJudge, JudgeCallError, type JudgeTransportDeps, type PanelVerdict } from "./judge-client";
import type { JudgeOutcome } from "./panel";
import { exchangeText } from "./rubrics";

/** Characters of exchanges per triage call (~4k tokens: within an 8B model's 8k context with room to answer). */
export const MAX_TRIAGE_CHARS = 16_000;

export interface TriageItem {
  tenantId: string;
  content: StoredContent;
}

/** Consecutive groups of one tenant's items, at most `batch` and MAX_TRIAGE_CHARS each (a longer item goes alone). */
export function triageGroups<T extends TriageItem>(items: readonly T[], batch: number): T[][] {
  const byTenant = new Map<string, T[]>();
  for (const it of items) {
    const list = byTenant.get(it.tenantId);
    if (list) list.push(it);
    else byTenant.set(it.tenantId, [it]);
  }
  const groups: T[][] = [];
  for (const list of byTenant.values()) {
    let group: T[] = [];
    let chars = 0;
    for (const it of list) {
      const size = exchangeText(it.content).length;
      if (group.length && (group.length >= batch || chars + size > MAX_TRIAGE_CHARS)) {
        groups.push(group);
        group = [];
        chars = 0;
      }
      group.push(it);
      chars += size;
    }
    if (group.length) groups.push(group);
  }
  return groups;
}

/** `usage` split by weights (integer tokens; the last share takes the rounding remainder). */
export function shareUsage(usage: TokenUsage, weights: readonly number[]): TokenUsage[] {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const left = { in: usage.input.total, cached: usage.input.cached, out: usage.output.total, reasoning: usage.output.reasoning };
  return weights.map((w, i) => {
    const last = i === weights.length - 1;
    const part = (n: number): number => Math.round((n * w) / total);
    const share = last ? { ...left } : { in: part(usage.input.total), cached: part(usage.input.cached), out: part(usage.output.total), reasoning: part(usage.output.reasoning) };
    left.in -= share.in;
    left.cached -= share.cached;
    left.out -= share.out;
    left.reasoning -= share.reasoning;
    return { input: { total: share.in, cached: share.cached }, output: { total: share.out, reasoning: share.reasoning }, source: usage.source };
  });
}

function outcome(judge: Judge, verdict: PanelVerdict | null, usage: TokenUsage, error: string | null): JudgeOutcome {
  return { name: judge.name, model: judge.model, version: judge.version, weight: judge.weight, tier: judge.tier, overall: verdict?.overall ?? null, scores: verdict?.scores ?? {}, confidence: verdict?.confidence ?? null, usage, error };
}

/**
 * Every cheap judge's outcome for every item, in `judges` order. `onItem` hears of an item as
 * soon as all its judges have answered (its writes need not wait for the batch's slowest call).
 */
export async function runTriage<T extends TriageItem>(
  items: readonly T[],
  judges: readonly Judge[],
  deps: JudgeTransportDeps,
  concurrency: number,
  onItem?: (item: T, outcomes: JudgeOutcome[]) => void,
): Promise<Map<T, JudgeOutcome[]>> {
  // Slots by judge index: calls finish in any order, an item lists its judges in config order.
  const slots = new Map<T, (JudgeOutcome | undefined)[]>(items.map((it) => [it, new Array<JudgeOutcome | undefined>(judges.length)]));
  const missing = new Map<T, number>(items.map((it) => [it, judges.length]));
  const settle = (it: T, j: number, o: JudgeOutcome): void => {
    const list = slots.get(it);
    if (!list) return;
    list[j] = o;
    const left = (missing.get(it) ?? 1) - 1;
    missing.set(it, left);
    if (left === 0) onItem?.(it, list as JudgeOutcome[]);
  };
  if (judges.length === 0) for (const it of items) onItem?.(it, []);
  const calls = judges.flatMap((judge, j) => triageGroups(items, judge.batch).map((group) => ({ judge, j, group })));
  await mapLimit(calls, concurrency, async ({ judge, j, group }) => {
    const weights = group.map((it) => exchangeText(it.content).length);
    try {
      const { verdicts, usage } = await callTriageJudge(judge, group.map((it) => it.content), deps);
      const shares = shareUsage(usage, weights);
      group.forEach((it, i) => settle(it, j, outcome(judge, verdicts[i] ?? null, shares[i] ?? EMPTY_USAGE, null)));
    } catch (err) {
      const shares = shareUsage(err instanceof JudgeCallError ? err.usage : EMPTY_USAGE, weights);
      const message = err instanceof Error ? err.message : "judge call failed";
      group.forEach((it, i) => settle(it, j, outcome(judge, null, shares[i] ?? EMPTY_USAGE, message)));
    }
  });
  return new Map([...slots].map(([it, list]) => [it, list.filter((o): o is JudgeOutcome => o !== undefined)]));
}
