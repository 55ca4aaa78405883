/**
 * bench:replay's numbers from per-row outcomes: quality from the correctness labels of the
 * model that served each row, cost from each row's ledger rows. The operating curves re-decide
 * every row at other thresholds from what the run recorded (the router's complexity, the
 * verifier's P(wrong) and both tiers' ledger cost per row), so a curve point costs no
 * requests; the measured point of each tenant is reported beside it.
 */
import { auc } from "../../scripts/router/lib/metrics";

export interface RowFacts {
  smallOk: boolean;
  frontierOk: boolean;
  /** Ledger cost of this row's answer on each tier (all-small and all-frontier tenants). */
  smallCost: number;
  frontierCost: number;
  /** Router complexity (x-route-complexity) in the routed tenants. */
  complexity: number | null;
  /** Verifier P(draft wrong) (x-cascade-p-wrong); null when the cascade did not draft. */
  pWrong: number | null;
}

export interface Point {
  threshold: number;
  /** Correct answers / all-frontier correct answers. */
  quality: number;
  /** Share of rows that called the frontier (escalations included). */
  frontierShare: number;
  /** 1 − cost / all-frontier cost. */
  costCut: number;
}

export interface Decision {
  small: boolean;
  frontier: boolean;
}

/** One operating point: every row decided by `decide`, scored from its labels and ledger costs. */
export function summarise(rows: readonly RowFacts[], threshold: number, decide: (r: RowFacts) => Decision): Point {
  let correct = 0;
  let frontierCalls = 0;
  let cost = 0;
  const frontierCorrect = rows.filter((r) => r.frontierOk).length;
  const frontierCost = rows.reduce((s, r) => s + r.frontierCost, 0);
  for (const r of rows) {
    const d = decide(r);
    // The served answer is the frontier's whenever the frontier was called.
    correct += (d.frontier ? r.frontierOk : r.smallOk) ? 1 : 0;
    frontierCalls += d.frontier ? 1 : 0;
    cost += (d.small ? r.smallCost : 0) + (d.frontier ? r.frontierCost : 0);
  }
  return { threshold, quality: correct / Math.max(1, frontierCorrect), frontierShare: frontierCalls / Math.max(1, rows.length), costCut: 1 - cost / Math.max(1e-12, frontierCost) };
}

/** `auto` without cascade: the small tier when complexity < band threshold. */
export function routerCurve(rows: readonly RowFacts[], thresholds: readonly number[]): Point[] {
  return thresholds.map((b) =>
    summarise(rows, b, (r) => {
      const small = r.complexity !== null && r.complexity < b;
      return { small, frontier: !small };
    }),
  );
}

/** `auto` with cascade: rows that were drafted are served the draft when P(wrong) ≤ t, else escalated. */
export function verifierCurve(rows: readonly RowFacts[], thresholds: readonly number[]): Point[] {
  return thresholds.map((t) =>
    summarise(rows, t, (r) => {
      if (r.pWrong === null) return { small: false, frontier: true };
      return { small: true, frontier: r.pWrong > t };
    }),
  );
}

/**
 * Router bands that send 0%, 10%, ..., 100% of the rows to the small tier (a calibrated router
 * can put a whole task inside a narrow complexity range, where a fixed grid would skip it).
 */
export function bandsByShare(rows: readonly RowFacts[], steps = 10): number[] {
  const c = rows.flatMap((r) => (r.complexity === null ? [] : [r.complexity])).sort((a, b) => a - b);
  if (c.length === 0) return [];
  const bands = Array.from({ length: steps + 1 }, (_, i) => (i === 0 ? c[0]! : i === steps ? c.at(-1)! + 1e-4 : c[Math.floor((i * c.length) / steps)]!));
  return [...new Set(bands.map((b) => Math.round(b * 1e4) / 1e4))];
}

/** Held-out AUC of the verifier on the drafted rows (P(wrong) against the small model's label). */
export function verifierAuc(rows: readonly RowFacts[]): number {
  const drafted = rows.filter((r) => r.pWrong !== null);
  return auc(drafted.map((r) => r.pWrong as number), drafted.map((r) => !r.smallOk));
}

/** How well the router's complexity ranks the rows by "the small model's answer is wrong". */
export function routerAuc(rows: readonly RowFacts[]): number {
  const routed = rows.filter((r) => r.complexity !== null);
  return auc(routed.map((r) => r.complexity as number), routed.map((r) => !r.smallOk));
}

/** The best point of a curve that keeps `floor` of all-frontier quality (largest cost cut), if any. */
export function bestAtQuality(points: readonly Point[], floor: number): Point | null {
  return points.filter((p) => p.quality >= floor).reduce<Point | null>((best, p) => (best === null || p.costCut > best.costCut ? p : best), null);
}

export interface CascadeBand {
  from: number;
  to: number;
  rows: number;
  /** Drafts the verifier served (the rest escalated or were not drafted). */
  accepted: number;
  /** Served drafts whose answer was wrong (the small model's label). */
  acceptedWrong: number;
  /** Rows whose small-model answer was right: what a draft could save. */
  smallRight: number;
}

/**
 * The measured cascade by quarter of the router's complexity: how often a draft was served and
 * how often a served draft was wrong. It shows what skipping drafts above a complexity
 * (cascadeMaxComplexity) would trade: the served drafts' savings against their mistakes.
 */
export function cascadeByComplexity(rows: readonly RowFacts[], servedSmall: readonly boolean[], parts = 4): CascadeBand[] {
  const order = rows.map((_, i) => i).filter((i) => rows[i]!.complexity !== null).sort((a, b) => rows[a]!.complexity! - rows[b]!.complexity!);
  return Array.from({ length: parts }, (_, p) => {
    const idx = order.slice(Math.floor((p * order.length) / parts), Math.floor(((p + 1) * order.length) / parts));
    const accepted = idx.filter((i) => servedSmall[i]);
    return {
      from: rows[idx[0]!]?.complexity ?? 0,
      to: rows[idx.at(-1)!]?.complexity ?? 0,
      rows: idx.length,
      accepted: accepted.length,
      acceptedWrong: accepted.filter((i) => !rows[i]!.smallOk).length,
      smallRight: idx.filter((i) => rows[i]!.smallOk).length,
    };
  });
}
