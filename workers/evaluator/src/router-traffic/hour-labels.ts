/**
 * The labelled band's input (docs/router.md, "Labelled band"): one hour's judged small-tier
 * outcomes of routed requests, per feature and complexity bin.
 *
 *  - a served small-tier answer of a router-decided request with a judged frontier shadow
 *    (`<id>:shadow` on a tier other than the small ones, the gateway's chat/shadow-tier.ts):
 *    a PAIR, bad = its score < min(pass mark, the frontier's score), win = it passed where the
 *    frontier failed;
 *  - a small shadow (`<id>:shadow` on a small tier) of a frontier-served one: a pair by the same
 *    rule with the roles of served and shadow swapped (the retraining export's `small_ok` rule);
 *    complexity and feature from the served request;
 *  - a served small-tier answer without a judged frontier shadow (the tenant opted out of it, the
 *    frontier shadow was skipped or failed (a skip marker), or its verdict is not in yet): UNPAIRED, bad = panel mean < pass mark.
 *    Conservative: it counts a failed small answer as a loss even where the frontier would have
 *    failed too, and it never counts as a win.
 *  - a small shadow judged beside a served frontier answer that was not judged: UNPAIRED as above
 *    (it used to be dropped: a sample that loses requests when a verdict is missing is no longer
 *    the routed traffic's);
 *  - a drawn frontier-served request whose small shadow FINALLY left no verdict: the gateway's
 *    skip marker (`<id>:shadow`, status 0, `shadow_skipped`: its budget reservation was refused or
 *    its call failed), an answer the output policy withheld, a judged shadow without a score, or
 *    an answer still without any verdict JUDGING_HORIZON_MS after it completed: a LOSS (bad, never
 *    a win), the worst its small answer could have been. It never sets D (only a judged shadow
 *    does). Dropping it instead would keep a tier-dependent sample (budget skips fall on the
 *    dearer frontier shadows first, upstream errors differ by tier), and that sample under-counted
 *    the frontier-served requests a wider band would move: missing data made the band looser;
 *  - a routed small-tier answer the output policy withheld (status >= 400, `output_blocked`: the
 *    client saw a failure, nothing is judged or shadowed): a LOSS the same way, the served twin of
 *    a withheld small shadow;
 *  - NO label for a small shadow answered but not judged yet (younger than the horizon: the job
 *    recomputes its hour until it is older, see traffic-job.ts), and none for a verdict the JUDGES
 *    failed to give (a judge-budget fallback row, an evaluation with status 'error') on either
 *    side: a served small answer in that state is not in judgedSql, and its shadow twin is
 *    dropped the same way. Those gaps come from the judge's budget and availability, not from
 *    which tier answered or how well, so imputing them as losses on one side only (as this did)
 *    made the band stricter for reasons unrelated to quality, e.g. in every hour a tenant's
 *    judge cap ran out;
 *  - either pair whose other answer (the frontier shadow, or the served frontier answer of a small
 *    shadow) was not judged on real, whole text: a tool call (no text: checks `empty`, scored 1),
 *    an empty answer, or one cut off or stopped for a tool call (checks `truncated`, finish
 *    reason `length` or `tool_calls`; shared/router-traffic/real-answer-sql.ts) is UNPAIRED as
 *    above. Its low score measures the missing text, not the prompt's difficulty: compared against
 *    it, a small answer that failed would never be a loss and one that passed would be a win (a
 *    review's tool-using feature: 0 losses and 19 wins of 39 labels, 20 losses unpaired). It still
 *    counts as shadow-backed for D below: whether a shadow was judged depends on the draw, not on
 *    what it wrote.
 *
 * The band's bound treats the labels as a uniform sample of the routed traffic, but the served
 * answers and the shadows are judged at different rates: every judged small-tier answer
 * (JUDGE_SAMPLING, often 1) against the shadow rate (~2%), so kept as they come the easy
 * requests the small tier already serves would be over-represented and the bound optimistic.
 * Every channel uses the same draw of the served request's id (FNV-1a / 2^32, shared/hash/
 * unit-draw.ts: a shadow, in either direction, exists when the draw is below the one shadow rate,
 * and is judged and kept when it is below the judge, evaluation and ledger rates), so the job
 * keeps the labels of ALL channels whose draw is below D, the highest draw among the hour's
 * shadow-backed labels of the feature (small shadows and paired served answers alike: ≈ the
 * lowest of those rates in force), and drops the label at D itself. Given D, every other
 * routed request's draw is uniform below it, whichever tier served it, so each had the same
 * chance of giving a label. Pairing also marks a served small answer shadow-backed, so it can
 * set D (which requests give a label moves with it), but only through its draw: the frontier
 * shadow is drawn by the same rule as the small one, so a served answer below D normally has its
 * pair, and one whose frontier call failed or was skipped (budget) is left out of D's maximum,
 * as is a frontier-served request whose small shadow left no verdict (docs/router.md, "Labelled
 * band"). Both are kept below D: dropping them would make the sample depend on the shadows'
 * skips and errors; kept, they only make their labels conservative. Keeping the label that sets D would keep shadows more often than
 * served answers (a review measured served/shadow inclusion of 0.37 at 50 frontier-served
 * requests an hour, and a 95% band missing its target in 23 of 60 windows). The price: a
 * feature's hour gives one label fewer, and none with a single shadow-backed one. D depends on
 * request ids and on which shadows were judged, never on a verdict. A feature's hour without shadow-backed labels gives no
 * labels (nothing says how the channels compare in it). The tenant-wide window pools the
 * features' labels, so features with a higher shadow rate weigh more in it.
 */
import { z } from "zod";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { judgedOnRealText } from "../../../../shared/router-traffic/real-answer-sql";
import { binOf, mergeLabels, type LabelBin } from "../../../../shared/router-traffic/traffic-summary";

const SHADOW_SUFFIX = ":shadow";
/**
 * How long after a small shadow completes its verdict may still arrive: the judge's retries
 * (MAX_JUDGE_ATTEMPTS, 3 by default, at most 300 s apart) end in a verdict or an error evaluation
 * within minutes; the rest is queue backlog. A shadow without any verdict past it counts as a
 * loss, younger it gives no label yet. The traffic job recomputes every closed hour until all of
 * its shadows are older than this (traffic-job.ts, RECOMPUTED_HOURS).
 */
export const JUDGING_HORIZON_MS = 3_600_000;
/** At most this many labels are read per tenant and hour from each half of the query (judged, imputed): up to twice it in all; which ones beyond it is unspecified. */
export const MAX_HOUR_LABELS = 50_000;


const LabelRow = z.object({ served_id: z.string(), feature: z.string(), complexity: z.number(), shadow: z.number().int(), bad: z.number().int(), win: z.number().int() });

const smallList = (n: number, from: number): string => Array.from({ length: n }, (_, i) => `?${i + from}`).join(", ") || "''";

// Served small-tier answers of routed requests (paired with their frontier shadow `f` when one was
// judged), and small shadows (their served request's route). `o` is the other tier's score, if any.
const judgedSql = (tiers: number): string => `SELECT served_id, feature, complexity, shadow,
    (score < MIN(?4, COALESCE(o, ?4))) AS bad, IFNULL(o < ?4 AND score >= ?4, 0) AS win
  FROM (SELECT COALESCE(p.request_id, e.request_id) AS served_id, COALESCE(p.feature, l.feature) AS feature,
    COALESCE(p.route_complexity, l.route_complexity) AS complexity, (p.request_id IS NOT NULL OR f.request_id IS NOT NULL) AS shadow,
    e.score_mean AS score,
    CASE WHEN s.request_id IS NOT NULL AND ${judgedOnRealText("s", "st")} THEN s.score_mean
      WHEN f.request_id IS NOT NULL AND ${judgedOnRealText("f", "ft")} THEN f.score_mean END AS o
  FROM evaluations e
  JOIN usage_ledger l ON l.tenant_id = e.tenant_id AND l.request_id = e.request_id
  LEFT JOIN usage_ledger p ON substr(e.request_id, -7) = '${SHADOW_SUFFIX}' AND p.tenant_id = l.tenant_id AND p.request_id = l.parent_request_id
  LEFT JOIN evaluations s ON s.tenant_id = p.tenant_id AND s.request_id = p.request_id AND s.status = 'ok' AND s.score_mean IS NOT NULL
  LEFT JOIN request_traces st ON st.tenant_id = s.tenant_id AND st.request_id = s.request_id
  LEFT JOIN evaluations f ON p.request_id IS NULL AND f.request_id = e.request_id || '${SHADOW_SUFFIX}' AND f.tenant_id = e.tenant_id
    AND f.status = 'ok' AND f.score_mean IS NOT NULL AND f.tier NOT IN (${smallList(tiers, 7)})
  LEFT JOIN request_traces ft ON ft.tenant_id = f.tenant_id AND ft.request_id = f.request_id
  WHERE e.tenant_id = ?1 AND e.completed_at >= ?2 AND e.completed_at < ?3 AND e.status = 'ok' AND e.score_mean IS NOT NULL AND e.sampled = 1
    AND e.tier IN (${smallList(tiers, 7)})
    AND (p.request_id IS NOT NULL OR (${ROUTED("l")}))
    AND COALESCE(p.requested_model, l.requested_model) = 'auto' AND COALESCE(p.route_complexity, l.route_complexity) IS NOT NULL
  LIMIT ?5)`;

/** A served request the router decided and a model answered (not a cache hit, not a gateway-made call). */
const ROUTED = (t: string): string =>
  `${t}.parent_request_id IS NULL AND ${t}.requested_model = 'auto' AND ${t}.cache_status NOT IN ('hit-exact', 'hit-semantic') AND ${t}.route_complexity IS NOT NULL`;

// One scan of the hour's ledger rows for the losses imputed without a verdict (never shadow-backed,
// so they cannot set D): drawn frontier-served requests whose small shadow (m with parent p) finally
// left none (a skip marker, a withheld answer, a verdict without a score, or nothing at all past the
// judging horizon, ?6 = the time the horizon started), minus those the judges failed (fallback or
// error: dropped); and routed small-tier answers the output policy withheld (m served, no p).
const missingSql = (tiers: number): string => `SELECT COALESCE(p.request_id, m.request_id) AS served_id, COALESCE(p.feature, m.feature) AS feature,
    COALESCE(p.route_complexity, m.route_complexity) AS complexity, 0 AS shadow, 1 AS bad, 0 AS win
  FROM usage_ledger m
  LEFT JOIN usage_ledger p ON substr(m.request_id, -7) = '${SHADOW_SUFFIX}' AND p.tenant_id = m.tenant_id AND p.request_id = m.parent_request_id
  WHERE m.tenant_id = ?1 AND m.completed_at >= ?2 AND m.completed_at < ?3 AND m.kind = 'request' AND m.tier IN (${smallList(tiers, 7)})
    AND ((p.request_id IS NOT NULL AND ${ROUTED("p")}
      AND NOT EXISTS (SELECT 1 FROM evaluations s WHERE s.tenant_id = m.tenant_id AND s.request_id = m.request_id
        AND (s.status = 'error' OR (s.status = 'ok' AND s.score_mean IS NOT NULL AND s.sampled = 1)))
      AND NOT EXISTS (SELECT 1 FROM judge_fallbacks j WHERE j.tenant_id = m.tenant_id AND j.request_id = m.request_id)
      AND (m.status = 0 OR m.status >= 400 OR m.completed_at < ?6
        OR EXISTS (SELECT 1 FROM evaluations s WHERE s.tenant_id = m.tenant_id AND s.request_id = m.request_id AND s.status = 'ok')))
    OR (p.request_id IS NULL AND ${ROUTED("m")} AND m.status >= 400 AND m.error_code = 'output_blocked'))
  LIMIT ?5`;

const sql = (tiers: number): string => `SELECT * FROM (${judgedSql(tiers)}) UNION ALL SELECT * FROM (${missingSql(tiers)})`;

/** One tenant's hour of labels, per feature ('' = none), thinned to one sampling rate, as known at `asOf`. */
export async function hourLabels(db: D1Database, tenantId: string, hour: number, hourMs: number, passScore: number, smallTiers: readonly string[], asOf: number): Promise<Map<string, LabelBin[]>> {
  const { results } = await db.prepare(sql(smallTiers.length)).bind(tenantId, hour, hour + hourMs, passScore, MAX_HOUR_LABELS, asOf - JUDGING_HORIZON_MS, ...smallTiers).all();
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
