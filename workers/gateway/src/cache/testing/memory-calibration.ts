/** A CalibrationSource over fixed band counts per namespace key, for tests. */
import { bandOf } from "../calibration/bands";
import type { CalibrationKey, CalibrationSource } from "../calibration/calibration-source";
import { emptyCounts, type BandCounts } from "../calibration/error-bound";

export class MemoryCalibration implements CalibrationSource {
  private readonly byKey = new Map<string, BandCounts[]>();

  async counts(key: CalibrationKey): Promise<readonly BandCounts[]> {
    return this.byKey.get(this.id(key)) ?? emptyCounts();
  }

  /** Adds checks at a hit score's band (a fresh array, as a reload from D1 would give). */
  record(key: CalibrationKey, score: number, checks: number, wrong = 0): void {
    const counts = (this.byKey.get(this.id(key)) ?? emptyCounts()).map((c) => ({ ...c }));
    const c = counts[bandOf(score)];
    if (!c) throw new Error(`score ${score} is below the bands`);
    c.checks += checks;
    c.wrong += wrong;
    this.byKey.set(this.id(key), counts);
  }

  private id(k: CalibrationKey): string {
    return `${k.tenantId}|${k.feature}|${k.scorerId}`;
  }
}
