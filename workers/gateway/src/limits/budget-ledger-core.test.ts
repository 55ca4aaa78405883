import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BudgetLedgerCore, type BudgetClaim, type ReserveRequest } from "./budget-ledger-core";

const MONTH = Date.UTC(2026, 10, 1);
const tenant = (limitUsd: number, rollupUsd = 0, extra: Partial<BudgetClaim> = {}): BudgetClaim => ({ name: "tenant", policy: "block", limitUsd, ceilingUsd: limitUsd, rollupUsd, ...extra });
const reserve = (leaseId: string, estimateUsd: number, budgets: BudgetClaim[], extra: Partial<ReserveRequest> = {}): ReserveRequest => ({
  leaseId, month: MONTH, leaseMs: 60_000, estimateUsd, downgradedEstimateUsd: estimateUsd, budgets, ...extra,
});
const settle = (leaseId: string, costUsd: number, budgets = ["tenant"]) => ({ leaseId, month: MONTH, budgets, costUsd });

describe("BudgetLedgerCore (budget escrow)", () => {
  it("admits concurrent calls only while their reservations fit the headroom", () => {
    const core = new BudgetLedgerCore();
    // $10.00 spent of $10.02: 100 calls at once, each estimated at $0.0025.
    const results = Array.from({ length: 100 }, (_, i) => core.reserve(reserve(`r${i}`, 0.0025, [tenant(10.02, 10)]), 0));
    const admitted = results.filter((r) => r.ok).length;
    expect(admitted).toBeGreaterThanOrEqual(7);
    expect(admitted * 0.0025).toBeLessThanOrEqual(0.02 + 1e-12);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, budget: "tenant", limitUsd: 10.02, spentUsd: 10 });
  });

  it("settles a call with its real cost, which frees the rest of its reservation", () => {
    const core = new BudgetLedgerCore();
    expect(core.reserve(reserve("a", 0.6, [tenant(1)]), 0).ok).toBe(true);
    expect(core.reserve(reserve("b", 0.6, [tenant(1)]), 0).ok).toBe(false);
    core.release(settle("a", 0.1), 0);
    expect(core.reserve(reserve("b", 0.6, [tenant(1)]), 0)).toMatchObject({ ok: true, budgets: [{ name: "tenant", spentUsd: 0.1, inFlightUsd: 0.6 }] });
    // A retried settle RPC is booked once.
    core.release(settle("a", 0.1), 0);
    expect(core.reserve(reserve("c", 0.25, [tenant(1)]), 0)).toMatchObject({ ok: true, budgets: [{ spentUsd: 0.1 }] });
  });

  it("releases a failed call's reservation, and gives back a crashed call's when its lease expires", () => {
    const core = new BudgetLedgerCore();
    expect(core.reserve(reserve("fails", 0.9, [tenant(1)]), 0).ok).toBe(true);
    core.release(settle("fails", 0), 0);
    expect(core.reserve(reserve("crashes", 0.9, [tenant(1)]), 0).ok).toBe(true);
    expect(core.reserve(reserve("next", 0.9, [tenant(1)]), 30_000).ok).toBe(false);
    expect(core.reserve(reserve("next", 0.9, [tenant(1)]), 60_000).ok).toBe(true);
    expect(core.inFlight()).toBe(1);
    // The crashed call does finish after all: its cost still counts, once.
    core.release(settle("crashes", 0.05), 61_000);
    expect(core.reserve(reserve("last", 0.06, [tenant(1)]), 61_000).ok).toBe(false);
  });

  it("takes month-to-date spend as the larger of the rollups and what it saw settled (no double count)", () => {
    const core = new BudgetLedgerCore();
    core.reserve(reserve("a", 0.1, [tenant(10, 5)]), 0);
    core.release(settle("a", 0.1), 0);
    // The rollups have not caught up yet (still 5): 5.1 spent.
    expect(core.reserve(reserve("b", 0.01, [tenant(10, 5)]), 0)).toMatchObject({ budgets: [{ spentUsd: 5.1 }] });
    // They have now, with a judge's 0.3 on top: the rollups win; the settled 0.1 is not added again.
    expect(core.reserve(reserve("c", 0.01, [tenant(10, 5.4)]), 0)).toMatchObject({ budgets: [{ spentUsd: 5.4 }] });
    // A new month starts from its own rollups.
    expect(core.reserve(reserve("d", 0.01, [tenant(10, 0)], { month: Date.UTC(2026, 11, 1) }), 0)).toMatchObject({ budgets: [{ spentUsd: 0, inFlightUsd: 0.01 }] });
  });

  it("downgrade budgets: past the cap the call reserves the cheaper estimate and is flagged; past the ceiling it is refused", () => {
    const core = new BudgetLedgerCore();
    const key: BudgetClaim = { name: "key:k", policy: "downgrade", limitUsd: 1, ceilingUsd: 1.2, rollupUsd: 0.95 };
    const req = (id: string) => reserve(id, 0.1, [key], { downgradedEstimateUsd: 0.01 });
    expect(core.reserve(reserve("under", 0.01, [key], { downgradedEstimateUsd: 0.001 }), 0)).toMatchObject({ ok: true, downgrade: null, reservedUsd: 0.01 });
    expect(core.reserve(req("over"), 0)).toMatchObject({ ok: true, downgrade: "key:k", reservedUsd: 0.01 });
    core.release(settle("over", 0.01, ["key:k"]), 0);
    core.release(settle("under", 0.01, ["key:k"]), 0);
    expect(core.reserve({ ...req("at-ceiling"), budgets: [{ ...key, rollupUsd: 1.195 }] }, 0)).toMatchObject({ ok: false, budget: "key:k", limitUsd: 1.2 });
  });

  it("never lets settled spend pass the cap by more than the calls' overruns of their own estimates", () => {
    type Op = { kind: "start"; estimate: number; actual: number } | { kind: "end"; pick: number };
    const op = fc.oneof(
      fc.record({ kind: fc.constant("start" as const), estimate: fc.double({ min: 0.001, max: 0.5, noNaN: true }), actual: fc.double({ min: 0, max: 0.6, noNaN: true }) }),
      fc.record({ kind: fc.constant("end" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.double({ min: 0.01, max: 2, noNaN: true }), (ops: Op[], limit) => {
        const core = new BudgetLedgerCore();
        const open: { id: string; actual: number; estimate: number }[] = [];
        let spent = 0;
        let overrun = 0;
        ops.forEach((o, i) => {
          if (o.kind === "start") {
            if (core.reserve(reserve(`c${i}`, o.estimate, [tenant(limit)]), 0).ok) open.push({ id: `c${i}`, actual: o.actual, estimate: o.estimate });
          } else if (open.length > 0) {
            const [call] = open.splice(o.pick % open.length, 1);
            if (!call) return;
            core.release(settle(call.id, call.actual), 0);
            spent += call.actual;
            overrun += Math.max(0, call.actual - call.estimate);
          }
        });
        for (const call of open) {
          spent += call.actual;
          overrun += Math.max(0, call.actual - call.estimate);
        }
        expect(spent).toBeLessThanOrEqual(limit + overrun + 1e-9);
      }),
    );
  });
});
