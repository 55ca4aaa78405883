/**
 * Similarity bands: the hit score (cosine minus the lexical penalty) cut into 0.02-wide bands
 * from 0.5 up. Correctness feedback is counted per band, so a band is the unit the error bound
 * speaks about. Fixed edges, the same for every embedder: the bound learns where on this scale an
 * embedder's safe region starts, so no embedder needs a measured threshold. 0.02 is about the
 * resolution the score has (the same pair moves ~0.01 with a word's inflection); scores below 0.5
 * are never served (at 0.5 a bag of word vectors rates unrelated sentences on one topic).
 */
export const BAND_FLOOR = 0.5;
export const BAND_WIDTH = 0.02;
export const BAND_COUNT = 25;

/** Band index of a hit score, or -1 below the floor. Scores at 1 fall in the top band. */
export function bandOf(score: number): number {
  if (!(score >= BAND_FLOOR)) return -1;
  return Math.min(BAND_COUNT - 1, Math.floor((score - BAND_FLOOR) / BAND_WIDTH + 1e-9));
}

/** Lowest score of a band (its threshold if it is the lowest band served). */
export function bandFloor(band: number): number {
  return Number((BAND_FLOOR + band * BAND_WIDTH).toFixed(3));
}

/** Stored key of a band: its floor in thousandths (stable if BAND_COUNT ever grows). */
export function bandKey(band: number): number {
  return Math.round(bandFloor(band) * 1000);
}

export function bandFromKey(key: number): number {
  const band = Math.round((key / 1000 - BAND_FLOOR) / BAND_WIDTH);
  return band >= 0 && band < BAND_COUNT && bandKey(band) === key ? band : -1;
}
