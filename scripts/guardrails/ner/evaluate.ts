/**
 * Span metrics as the issue measures them: a gold entity is found "with the right type" when a
 * prediction of that type overlaps it; span precision counts predictions that overlap any gold
 * entity. Typed precision (same type) is reported beside it.
 */
import type { Example, Span } from "./example";

export interface Tally {
  gold: number;
  found: number;
  pred: number;
  predOverlapAny: number;
  predTyped: number;
}

export type Report = Map<string, Tally>;

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
const tally = (r: Report, k: string): Tally => {
  let t = r.get(k);
  if (!t) r.set(k, (t = { gold: 0, found: 0, pred: 0, predOverlapAny: 0, predTyped: 0 }));
  return t;
};

/** `types`: the gold/predicted types in scope (others are ignored on both sides). */
export function score(examples: readonly Example[], predict: (text: string) => Span[], types: ReadonlySet<string>): Report {
  const r: Report = new Map();
  for (const ex of examples) {
    const gold = ex.spans.filter((s) => types.has(s.type));
    const pred = predict(ex.text).filter((s) => types.has(s.type));
    for (const g of gold) {
      const t = tally(r, g.type);
      t.gold++;
      if (pred.some((p) => p.type === g.type && overlaps(p, g))) t.found++;
    }
    for (const p of pred) {
      const t = tally(r, p.type);
      t.pred++;
      if (gold.some((g) => overlaps(p, g))) t.predOverlapAny++;
      if (gold.some((g) => g.type === p.type && overlaps(p, g))) t.predTyped++;
    }
  }
  return r;
}

export function total(r: Report): Tally {
  const all: Tally = { gold: 0, found: 0, pred: 0, predOverlapAny: 0, predTyped: 0 };
  for (const t of r.values()) for (const k of Object.keys(all) as Array<keyof Tally>) all[k] += t[k];
  return all;
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "-");
export const recall = (t: Tally): number => t.found / t.gold;
export const spanPrecision = (t: Tally): number => t.predOverlapAny / t.pred;
export const typedPrecision = (t: Tally): number => t.predTyped / t.pred;

export function formatRow(name: string, t: Tally): string {
  return `| ${name} | ${t.gold} | ${f3(recall(t))} | ${t.pred} | ${f3(spanPrecision(t))} | ${f3(typedPrecision(t))} |`;
}
export const HEADER = "| entity | gold | typed recall | predicted | span precision | typed precision |\n| --- | --- | --- | --- | --- | --- |";
