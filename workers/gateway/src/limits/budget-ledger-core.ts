/**
 * Budget escrow, the state machine the tenant's RateLimiter Durable Object runs beside its
 * token buckets (one object per tenant, so every isolate in every colo sees the same
 * reservations). A call reserves an estimate of its cost on every budget it is charged to
 * before it starts; it settles with its real cost when it ends (or releases with 0 on failure),
 * and a reservation whose call never settles expires after its lease.
 *
 * Spend per budget is the larger of two lower bounds of the truth: the month-to-date rollups
 * the isolate read from D1 (complete, judge spend included, but behind by the queue delay) and
 * what this object has seen settled since it last caught up with them (immediate, inference
 * only). Taking the maximum never counts a call twice; the rollups catch up within the queue
 * delay and then carry the judge spend too.
 */
import { z } from "zod";
import { BUDGET_POLICIES } from "./budget-types";

export const BudgetClaimSchema = z.object({
  /** `tenant`, `key:<id>`, `feature:<name>`. */
  name: z.string().min(1).max(200),
  policy: z.enum(BUDGET_POLICIES),
  limitUsd: z.number().nonnegative(),
  /** Downgrade budgets block past this; equal to limitUsd for block budgets. */
  ceilingUsd: z.number().nonnegative(),
  /** Month-to-date spend from the rollups, as the isolate last read it. */
  rollupUsd: z.number().nonnegative(),
});
export type BudgetClaim = z.infer<typeof BudgetClaimSchema>;

export const ReserveRequestSchema = z.object({
  leaseId: z.string().min(1).max(100),
  /** Start of the UTC month (ms): spend and reservations never carry across months. */
  month: z.number().int(),
  leaseMs: z.number().int().positive().max(3_600_000),
  /** Cost estimate at the strongest model this call may reach. */
  estimateUsd: z.number().nonnegative(),
  /** Cost estimate on the cheapest tier the key may use (what a downgraded call reserves). */
  downgradedEstimateUsd: z.number().nonnegative(),
  budgets: z.array(BudgetClaimSchema).min(1).max(16),
});
export type ReserveRequest = z.infer<typeof ReserveRequestSchema>;

export const ReleaseRequestSchema = z.object({
  leaseId: z.string().min(1).max(100),
  month: z.number().int(),
  budgets: z.array(z.string().min(1).max(200)).max(16),
  /** Real cost of the call (0 = release: it failed or was refused before spending). */
  costUsd: z.number().nonnegative(),
});
export type ReleaseRequest = z.infer<typeof ReleaseRequestSchema>;

export interface BudgetState {
  name: string;
  spentUsd: number;
  /** In flight on this budget, this call's reservation included. */
  inFlightUsd: number;
}

export type ReserveResult =
  | { ok: true; downgrade: string | null; reservedUsd: number; budgets: BudgetState[] }
  | { ok: false; budget: string; limitUsd: number; spentUsd: number; inFlightUsd: number };

interface Scope {
  month: number;
  spentUsd: number;
  inFlightUsd: number;
}

interface Lease {
  month: number;
  budgets: string[];
  usd: number;
  expiresAt: number;
}

const MAX_SCOPES = 5_000;
const SWEEP_EVERY_MS = 1_000;

export class BudgetLedgerCore {
  private readonly scopes = new Map<string, Scope>();
  private readonly leases = new Map<string, Lease>();
  // Recently settled lease ids, so a retried settle RPC is not booked twice: two generations of
  // MAX_SCOPES each (dropping a Set's oldest entry one at a time is slow in V8).
  private settled = new Set<string>();
  private settledBefore = new Set<string>();
  private lastSweep = 0;

  private scope(name: string, month: number): Scope {
    const s = this.scopes.get(name);
    if (s && s.month === month) return s;
    const fresh = { month, spentUsd: 0, inFlightUsd: 0 };
    this.scopes.set(name, fresh);
    return fresh;
  }

  reserve(req: ReserveRequest, now: number): ReserveResult {
    this.sweep(now);
    const scopes = req.budgets.map((b) => {
      const s = this.scope(b.name, req.month);
      s.spentUsd = Math.max(s.spentUsd, b.rollupUsd);
      return { claim: b, s };
    });
    // A downgrade budget past its limit sends the call to the cheapest tier, so it reserves
    // (and is checked against every budget at) the cheaper estimate.
    const over = scopes.find(({ claim, s }) => claim.policy === "downgrade" && s.spentUsd + s.inFlightUsd + req.estimateUsd >= claim.limitUsd);
    const usd = over ? Math.min(req.estimateUsd, req.downgradedEstimateUsd) : req.estimateUsd;
    for (const { claim, s } of scopes) {
      const cap = claim.policy === "block" ? claim.limitUsd : claim.ceilingUsd;
      if (s.spentUsd + s.inFlightUsd + usd >= cap) return { ok: false, budget: claim.name, limitUsd: cap, spentUsd: s.spentUsd, inFlightUsd: s.inFlightUsd };
    }
    for (const { s } of scopes) s.inFlightUsd += usd;
    this.leases.set(req.leaseId, { month: req.month, budgets: req.budgets.map((b) => b.name), usd, expiresAt: now + req.leaseMs });
    return { ok: true, downgrade: over?.claim.name ?? null, reservedUsd: usd, budgets: scopes.map(({ claim, s }) => ({ name: claim.name, spentUsd: s.spentUsd, inFlightUsd: s.inFlightUsd })) };
  }

  /**
   * Ends a reservation with the call's real cost. Idempotent per lease; a lease that already
   * expired (or that a restarted object never knew) still books its cost.
   */
  release(req: ReleaseRequest, now: number): void {
    this.sweep(now);
    const lease = this.leases.get(req.leaseId);
    if (lease) {
      this.leases.delete(req.leaseId);
      this.unreserve(lease);
    } else if (this.settled.has(req.leaseId) || this.settledBefore.has(req.leaseId)) {
      return;
    }
    this.settled.add(req.leaseId);
    if (this.settled.size >= MAX_SCOPES) [this.settledBefore, this.settled] = [this.settled, new Set()];
    if (req.costUsd <= 0) return;
    for (const name of lease?.budgets ?? req.budgets) this.scope(name, req.month).spentUsd += req.costUsd;
  }

  private unreserve(lease: Lease): void {
    for (const name of lease.budgets) {
      const s = this.scopes.get(name);
      if (s && s.month === lease.month) s.inFlightUsd = Math.max(0, s.inFlightUsd - lease.usd);
    }
  }

  /** Expired leases give their reservation back: a crashed call cannot hold budget forever. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, lease] of this.leases) {
      if (lease.expiresAt > now) continue;
      this.leases.delete(id);
      this.unreserve(lease);
    }
    if (this.scopes.size <= MAX_SCOPES) return;
    // Idle scopes are re-seeded from the rollups on next use (a lower bound, never a double count).
    for (const [name, s] of this.scopes) if (s.inFlightUsd === 0) this.scopes.delete(name);
  }

  inFlight(): number {
    return this.leases.size;
  }
}
