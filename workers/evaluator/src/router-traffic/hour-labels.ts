/**
 * The labelled band's input (docs/router.md, "Labelled band"): one hour's judged small-tier
 * outcomes of routed requests, per feature and complexity bin.
 *
 *  - a served small-tier answer of a router-decided request: bad = panel mean < pass mark;
 *  - a shadow small-tier answer (`<id>:shadow`, chat/shadow-small.ts) of a frontier-served one:
 *    bad = its score < min(pass mark, the served answer's score), the retraining export's
 *    `small_ok` rule; win = it passed where the served answer failed (credited against the
 *    losses); complexity and feature from the served request.
 *
 * The band's bound treats the labels as a uniform sample of the routed traffic, but the two
 * channels are drawn at different rates: every judged small-tier answer (JUDGE_SAMPLING, often
 * 1) against the shadow rate (~2%) of frontier-served ones, so kept as they come they would
 * over-represent the easy requests the small tier already serves and make the bound
 * optimistic. Both channels use the same draw of the served request's id (FNV-1a / 2^32: a
 * shadow exists, and is judged and kept, when it falls below the shadow, judge, evaluation and
 * ledger rates), so the job keeps the labels of BOTH channels whose draw is below D, the
 * highest draw among the hour's shadow labels of the same feature (≈ the lowest of those rates in
 * force), and drops the shadow at D itself: given D, the other shadows' draws and the served
 * answers' draws are all uniform below it, so every routed request of the feature had the same
 * chance of giving a label. Keeping the shadow that sets D would keep shadows more often than
 * served answers (a review measured served/shadow inclusion of 0.37 at 50 frontier-served
 * requests an hour, and a 95% band missing its target in 23 of 60 windows). The price: a
 * feature's hour gives one shadow label fewer, and none with a single shadow. D depends on
 * request ids only, never on a verdict. A feature's hour without shadow labels gives
 * no labels (nothing says how the two channels compare in it). The tenant-wide window pools the
 * features' labels, so features with a higher shadow rate weigh more in it.
 */
import { z } from "zod";
import { unitDraw } from "../judge/config";
import { binOf, mergeLabels, type LabelBin } from "../../../../shared/router-traffic/traffic-summary";

const SHADOW_SUFFIX = ":shadow";
/** At most this many labels are read per tenant and hour (which ones beyond it is unspecified). */
export const MAX_HOUR_LABELS = 50_000;


const LabelRow = z.object({ served_id: z.string(), feature: z.string(), complexity: z.number(), shadow: z.number().int(), bad: z.number().int(), win: z.number().int() });

const smallList = (n: number, from: number): string => Array.from({ length: n }, (_, i) => `?${i + from}`).join(", ") || "''";

// Served small-tier answers of routed requests, and shadows (their served request's route).
const sql = (tiers: number): string => `SELECT COALESCE(p.request_id, e.request_id) AS served_id, COALESCE(p.feature, l.feature) AS feature,
    COALESCE(p.route_complexity, l.route_complexity) AS complexity, (p.request_id IS NOT NULL) AS shadow,
    (e.score_mean < CASE WHEN p.request_id IS NULL THEN ?4 ELSE MIN(?4, s.score_mean) END) AS bad,
    (p.request_id IS NOT NULL AND s.score_mean < ?4 AND e.score_mean >= ?4) AS win
  FROM evaluations e
  JOIN usage_ledger l ON l.tenant_id = e.tenant_id AND l.request_id = e.request_id
  LEFT JOIN usage_ledger p ON substr(e.request_id, -7) = '${SHADOW_SUFFIX}' AND p.tenant_id = l.tenant_id AND p.request_id = l.parent_request_id
  LEFT JOIN evaluations s ON s.tenant_id = p.tenant_id AND s.request_id = p.request_id AND s.status = 'ok' AND s.score_mean IS NOT NULL
  WHERE e.tenant_id = ?1 AND e.completed_at >= ?2 AND e.completed_at < ?3 AND e.status = 'ok' AND e.score_mean IS NOT NULL AND e.sampled = 1
    AND e.tier IN (${smallList(tiers, 6)})
    AND (p.request_id IS NOT NULL OR (l.parent_request_id IS NULL AND l.requested_model = 'auto' AND l.cache_status NOT IN ('hit-exact', 'hit-semantic')))
    AND COALESCE(p.requested_model, l.requested_model) = 'auto' AND COALESCE(p.route_complexity, l.route_complexity) IS NOT NULL
    AND (p.request_id IS NULL OR s.request_id IS NOT NULL)
  LIMIT ?5`;

/** One tenant's hour of labels, per feature ('' = none), thinned to one sampling rate. */
export async function hourLabels(db: D1Database, tenantId: string, hour: number, hourMs: number, passScore: number, smallTiers: readonly string[]): Promise<Map<string, LabelBin[]>> {
  const { results } = await db.prepare(sql(smallTiers.length)).bind(tenantId, hour, hour + hourMs, passScore, MAX_HOUR_LABELS, ...smallTiers).all();
  const rows = z.array(LabelRow).parse(results).map((r) => ({ ...r, draw: unitDraw(r.served_id) }));
  // Per feature: sampling rates can be set per feature (shadowSmallRate, the *_SAMPLING rules).
  const rate = new Map<string, number>();
  for (const r of rows) if (r.shadow) rate.set(r.feature, Math.max(rate.get(r.feature) ?? 0, r.draw));
  const byFeature = new Map<string, LabelBin[]>();
  for (const r of rows) {
    if (r.draw >= (rate.get(r.feature) ?? -1)) continue;
    byFeature.set(r.feature, [...(byFeature.get(r.feature) ?? []), [binOf(r.complexity), 1, r.bad, r.win]]);
  }
  return new Map([...byFeature].map(([f, bins]) => [f, mergeLabels([bins])] as const));
}
