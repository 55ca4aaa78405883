/**
 * The judge budget of one consumer batch: what each tenant has spent today (UTC) on inference
 * and on judges, read once from the hourly rollups, then kept in memory while the batch
 * charges its own judge calls against it (estimated before a call, settled with the billed
 * usage after). The rollups lag by the batches in flight, so parallel consumer invocations
 * can each spend the same remainder: the cap holds to within one batch's judging per
 * concurrent invocation (see docs/evaluator.md).
 */
import { costUsd } from "../../../../shared/pricing";
import type { TokenUsage } from "../../../../shared/usage";
import type { PriceBook } from "../pricing/price-book";
import type { Judge, JudgeTier } from "./config";
import { FULL_MAX_TOKENS, triageMaxTokens } from "./judge-client";
import { maxShareFor, type JudgePolicy } from "./policy";

export const DAY_MS = 86_400_000;

interface Spend {
  inference: number;
  cheap: number;
  strong: number;
}

/** Instructions and framing around the conversation in a judge prompt (shared by a triage call's answers). */
const EST_PROMPT_OVERHEAD_TOKENS = 260;

/**
 * What judging one answer of `promptChars` characters with `judge` may cost: input ~4 characters
 * a token plus the instructions (a cheap judge shares them among the `batch` answers of a call),
 * output at the call's max_tokens (an upper bound: a batch reserves before its calls return, so
 * the estimate must not be below the bill).
 */
export function estimateCallUsd(judge: Judge, promptChars: number, book: PriceBook, tenantId: string, at: number): number {
  const pricing = book.priceAt(tenantId, judge.model, at);
  if (!pricing) return 0;
  const cheap = judge.tier === "cheap";
  const overhead = cheap ? EST_PROMPT_OVERHEAD_TOKENS / judge.batch + 10 : EST_PROMPT_OVERHEAD_TOKENS;
  const output = cheap ? triageMaxTokens(judge.batch) / judge.batch : FULL_MAX_TOKENS;
  const usage: TokenUsage = { input: { total: Math.ceil(promptChars / 4 + overhead), cached: 0 }, output: { total: Math.ceil(output), reasoning: 0 }, source: "tokenizer" };
  return costUsd(usage, pricing);
}

export class JudgeBudget {
  constructor(
    private readonly policy: JudgePolicy,
    private readonly spend: Map<string, Spend>,
  ) {}

  private of(tenantId: string): Spend {
    let s = this.spend.get(tenantId);
    if (!s) {
      s = { inference: 0, cheap: 0, strong: 0 };
      this.spend.set(tenantId, s);
    }
    return s;
  }

  addInference(tenantId: string, usd: number): void {
    this.of(tenantId).inference += Math.max(0, usd);
  }

  /** Reserves `usd` of judging for the tenant if the policy allows it; false = over budget. */
  tryCharge(tenantId: string, tier: JudgeTier, usd: number): boolean {
    const share = maxShareFor(this.policy, tenantId);
    const s = this.of(tenantId);
    if (share !== null) {
      const cap = share * s.inference;
      if (s.cheap + s.strong + usd > cap) return false;
      if (tier === "strong" && s.strong + usd > cap * this.policy.strongShare) return false;
    }
    s[tier] += usd;
    return true;
  }

  /** Replaces a reservation with what the calls were billed. */
  settle(tenantId: string, tier: JudgeTier, reserved: number, billed: number): void {
    this.of(tenantId)[tier] += billed - reserved;
  }

  snapshot(tenantId: string): Spend {
    return { ...this.of(tenantId) };
  }
}

/**
 * Spend per tenant from the rollups since the start of the UTC day (of `now`, or of the oldest
 * answer in the batch when a backlog or a replay reaches into an earlier day): inference =
 * every kind but 'judge' (requests, cascade drafts, shadows), judges by model (a model some strong judge uses counts as strong). One
 * statement per 90 tenants (D1 binds 100 parameters).
 */
export async function loadJudgeBudget(db: D1Database, policy: JudgePolicy, judges: readonly Judge[], tenantIds: readonly string[], since: number): Promise<JudgeBudget> {
  const spend = new Map<string, Spend>();
  const ids = [...new Set(tenantIds)];
  const strongModels = new Set(judges.filter((j) => j.tier === "strong").map((j) => j.model));
  const dayStart = Math.floor(since / DAY_MS) * DAY_MS;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const marks = chunk.map((_, k) => `?${k + 2}`).join(", ");
    statements.push(
      db.prepare(`SELECT tenant_id, kind, model, SUM(cost_usd) AS cost FROM usage_rollups_hourly WHERE hour >= ?1 AND tenant_id IN (${marks}) GROUP BY tenant_id, kind, model`).bind(dayStart, ...chunk),
    );
  }
  if (statements.length === 0) return new JudgeBudget(policy, spend);
  const results = statements.length === 1 ? [await (statements[0] as D1PreparedStatement).all()] : await db.batch(statements);
  for (const row of results.flatMap((r) => r.results) as { tenant_id: string; kind: string; model: string; cost: number | null }[]) {
    const s = spend.get(row.tenant_id) ?? { inference: 0, cheap: 0, strong: 0 };
    const cost = row.cost ?? 0;
    // Cascade drafts and shadows (rollup kinds 'draft', 'shadow') are inference, not judging.
    if (row.kind !== "judge") s.inference += cost;
    else if (strongModels.has(row.model)) s.strong += cost;
    else s.cheap += cost;
    spend.set(row.tenant_id, s);
  }
  return new JudgeBudget(policy, spend);
}
