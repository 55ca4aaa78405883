/** Number and time formatting shared by the pages. */
export const usd = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(4)}`);
export const pct = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? "—" : `${(n * 100).toFixed(1)}%`);
export const ms = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : `${Math.round(n)} ms`);
export const num = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined ? "—" : n.toFixed(digits));
export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function when(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** Nearest-rank percentile (as GET /v1/prompts/{id}/compare computes them). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}

export const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
