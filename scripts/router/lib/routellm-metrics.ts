/**
 * Routing metrics as defined in RouteLLM (Ong et al. 2024, "RouteLLM: Learning to Route LLMs
 * with Preference Data", sec. 5.1):
 *   PGR(x) = (q(x) - q_weak) / (q_strong - q_weak)       performance gap recovered at x% strong calls
 *   APGR   = area under PGR over %strong calls in [0, 1]  here: trapezoid on 0%, 10%, ..., 100%
 *            (the paper's approximation averages PGR over 10 evenly spaced call percentages)
 *   CPT(p) = smallest % strong calls with PGR >= p
 * q is mean correctness of the model each prompt was routed to.
 */
export interface EvalItem {
  score: number; // router complexity: higher = send to strong
  weakOk: boolean;
  strongOk: boolean;
  /** Cascade only: did the verifier accept the weak response? */
  draftAccepted?: boolean;
}

export interface CurvePoint {
  strongShare: number;
  pgr: number;
}

export interface RoutingReport {
  qWeak: number;
  qStrong: number;
  apgr: number;
  cpt50: number;
  cpt80: number;
  curve: CurvePoint[];
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * PGR reachable with at most x strong calls: the best point whose share is <= x. No mixing of
 * routers is assumed, so this never overstates the curve (the all-weak and all-strong routers
 * are always available as end points).
 */
function pgrAt(points: readonly CurvePoint[], x: number): number {
  let best = 0;
  for (const p of points) if (p.strongShare <= x + 1e-12 && p.pgr > best) best = p.pgr;
  return best;
}

function summarize(points: CurvePoint[], qWeak: number, qStrong: number): RoutingReport {
  points.push({ strongShare: 0, pgr: 0 }, { strongShare: 1, pgr: 1 });
  points.sort((a, b) => a.strongShare - b.strongShare || a.pgr - b.pgr);
  const grid = Array.from({ length: 11 }, (_, i) => i / 10);
  const curve = grid.map((x) => ({ strongShare: x, pgr: pgrAt(points, x) }));
  const apgr = curve.reduce((s, p, i) => s + (i === 0 || i === 10 ? 0.5 : 1) * p.pgr, 0) / 10;
  const cpt = (target: number): number => points.find((p) => p.pgr >= target)?.strongShare ?? 1;
  return { qWeak, qStrong, apgr, cpt50: cpt(0.5), cpt80: cpt(0.8), curve };
}

function gap(items: readonly EvalItem[]): { qWeak: number; qStrong: number; pgr: (q: number) => number } {
  const qWeak = mean(items.map((i) => (i.weakOk ? 1 : 0)));
  const qStrong = mean(items.map((i) => (i.strongOk ? 1 : 0)));
  const d = qStrong - qWeak;
  return { qWeak, qStrong, pgr: (q) => (d === 0 ? 0 : (q - qWeak) / d) };
}

/** Prompt-only routing: the k highest-scoring prompts go to the strong model, k = 0..n. */
export function routingReport(items: readonly EvalItem[]): RoutingReport {
  const { qWeak, qStrong, pgr } = gap(items);
  const order = items.map((it, i) => ({ it, i })).sort((a, b) => b.it.score - a.it.score || a.i - b.i);
  const n = items.length;
  let correct = items.reduce((s, it) => s + (it.weakOk ? 1 : 0), 0);
  const points: CurvePoint[] = [{ strongShare: 0, pgr: pgr(correct / n) }];
  order.forEach(({ it }, k) => {
    correct += (it.strongOk ? 1 : 0) - (it.weakOk ? 1 : 0);
    points.push({ strongShare: (k + 1) / n, pgr: pgr(correct / n) });
  });
  return summarize(points, qWeak, qStrong);
}

/**
 * Cascade: prompts scoring >= t go straight to strong; the rest get the weak draft, served if
 * the verifier accepts it, else escalated (a strong call). Swept over every threshold.
 */
export function cascadeReport(items: readonly EvalItem[]): RoutingReport {
  const { qWeak, qStrong, pgr } = gap(items);
  const n = items.length;
  const thresholds = [...new Set(items.map((i) => i.score)), Infinity].sort((a, b) => a - b);
  const points = thresholds.map((t) => {
    let strong = 0;
    let correct = 0;
    for (const it of items) {
      const toStrong = it.score >= t || it.draftAccepted === false;
      strong += toStrong ? 1 : 0;
      correct += (toStrong ? it.strongOk : it.weakOk) ? 1 : 0;
    }
    return { strongShare: strong / n, pgr: pgr(correct / n) };
  });
  return summarize(points, qWeak, qStrong);
}
