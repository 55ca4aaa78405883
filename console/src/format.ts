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
