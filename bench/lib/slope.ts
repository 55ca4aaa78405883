/**
 * A least-squares line through a time series with a 95% interval for its slope, for memory read
 * every few seconds (bench:soak). Successive readings of a process's memory are not independent
 * (a reading is the last one plus what happened since), and the plain OLS interval then claims
 * far more precision than the series holds. So the slope's standard error is widened by the lag-1
 * autocorrelation of the residuals (AR(1): n_eff = n (1 − ρ) / (1 + ρ)), and the t quantile uses
 * n_eff − 2 degrees of freedom (none below 5 effective points). With no positive autocorrelation
 * this is the textbook interval.
 */
import { t975 } from "./interval";

export interface Slope {
  /** Units of y per unit of x. */
  slope: number;
  intercept: number;
  /** Standard error of the slope, widened for autocorrelation. */
  se: number;
  /** Lag-1 autocorrelation of the residuals (0 when negative or undefined). */
  rho: number;
  n: number;
  /** Effective number of independent points after the AR(1) correction. */
  nEff: number;
  /** 95% interval for the slope; NaN when there are too few (effective) points for one. */
  low: number;
  high: number;
}

export function fitSlope(xs: readonly number[], ys: readonly number[]): Slope {
  const n = Math.min(xs.length, ys.length);
  const mean = (v: readonly number[]) => v.slice(0, n).reduce((a, b) => a + b, 0) / (n || 1);
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const residuals = Array.from({ length: n }, (_, i) => (ys[i] as number) - intercept - slope * (xs[i] as number));
  const sse = residuals.reduce((a, r) => a + r * r, 0);
  let lagged = 0;
  for (let i = 1; i < n; i++) lagged += (residuals[i] as number) * (residuals[i - 1] as number);
  const rho = sse > 0 ? Math.max(0, lagged / sse) : 0;
  const nEff = rho < 1 ? (n * (1 - rho)) / (1 + rho) : 0;
  const seOls = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN;
  const se = seOls * Math.sqrt((1 + rho) / (1 - rho));
  // t975's approximation is stated from 3 degrees of freedom; fewer effective points get no interval.
  const half = nEff >= 5 ? t975(nEff - 2) * se : Number.NaN;
  return { slope, intercept, se, rho, n, nEff, low: slope - half, high: slope + half };
}

/** A slope with its 95% interval, e.g. "0.42 MB/min (95% CI -0.31 to 1.15)". */
export function slopeText(slope: number, low: number, high: number, unit = ""): string {
  return `${slope.toFixed(2)}${unit} (95% CI ${Number.isNaN(low) ? "n/a: too few independent samples" : `${low.toFixed(2)} to ${high.toFixed(2)}`})`;
}
