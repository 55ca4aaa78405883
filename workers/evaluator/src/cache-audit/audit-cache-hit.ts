/**
 * Step of the consumer for sampled semantic cache hits (the gateway marks them with
 * `decisions.cache.audit` at its `auditRate`): judge whether the replayed answer fits the new
 * question, store the verdict, bill the judge calls. Same failure contract as judgeEvent:
 * unreachable judges -> retry; after the retry budget an 'error' row so the message is acked.
 */
import { z } from "zod";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { isSampled, panelVersion, SamplingSchema, type Sampling } from "../judge/config";
import { PanelUnavailableError } from "../judge/panel";
import { firstPassJudges } from "../judge/tiered";
import { newNonce } from "../ledger/ledger-statements";
import type { PriceBook } from "../pricing/price-book";
import type { ConsumerDeps } from "../process-event";
import { DEFAULT_PASS_SCORE, runAuditPanel } from "./audit-panel";
import { cacheAuditMessages, cacheAuditOf } from "./audit-prompt";
import { auditErrorStatement, auditStatements, isAudited, type AuditContext } from "./audit-store";

export interface CacheAuditConfig {
  /** The evaluator's own cap on top of the gateway's auditRate (judge spend); default: every marked hit. */
  sampling: Sampling;
  /** Panel mean at or above which a hit counts as correct. */
  passScore: number;
}

export const DEFAULT_CACHE_AUDIT: CacheAuditConfig = { sampling: { default: 1, rules: [] }, passScore: DEFAULT_PASS_SCORE };

const PassScoreSchema = z.coerce.number().min(1).max(5);

/** From the CACHE_AUDIT_SAMPLING and CACHE_AUDIT_PASS_SCORE vars; a bad value fails loudly. */
export function parseCacheAuditConfig(sampling: string | undefined, passScore: string | undefined): CacheAuditConfig {
  return {
    sampling: sampling ? SamplingSchema.parse(JSON.parse(sampling)) : DEFAULT_CACHE_AUDIT.sampling,
    passScore: passScore ? PassScoreSchema.parse(passScore) : DEFAULT_PASS_SCORE,
  };
}

export function wantsCacheAudit(event: UsageEvent, deps: ConsumerDeps): boolean {
  if (!event.content || deps.judges.length === 0 || event.kind !== "chat" || event.status >= 400) return false;
  if (!cacheAuditOf(event)) return false;
  const sampling = (deps.cacheAudit ?? DEFAULT_CACHE_AUDIT).sampling;
  return isSampled(sampling, event.requestId, event.tenantId, event.feature);
}

/** Returns false when the message should be retried because the judges were unreachable. */
export async function auditCacheHit(event: UsageEvent, attempts: number, book: PriceBook, deps: ConsumerDeps): Promise<boolean> {
  const audit = cacheAuditOf(event);
  const content = event.content;
  if (!audit || !content || (await isAudited(deps.db, event.tenantId, event.requestId))) return true;
  const { passScore } = deps.cacheAudit ?? DEFAULT_CACHE_AUDIT;
  // The cheap judges: an audit is one short question, and audited hits are a sample already.
  const judges = firstPassJudges(deps.judges);
  const ctx: AuditContext = { event, audit, passScore, panelVersion: panelVersion(judges), now: deps.now() };
  try {
    const verdict = await runAuditPanel(cacheAuditMessages(audit, content), judges, deps, passScore);
    await deps.db.batch(auditStatements(deps.db, ctx, verdict, book, newNonce()));
    return true;
  } catch (err) {
    if (!(err instanceof PanelUnavailableError)) throw err;
    if (attempts < deps.maxJudgeAttempts) return false;
    await auditErrorStatement(deps.db, ctx, err.message).run();
    return true;
  }
}
