/**
 * The id of the semantic cache's shipped local embedder (usedistil-int8.bin with default
 * options), as a constant so code that keys measurements by embedder need not decode the 2.5 MB
 * artifact to know it. calibration/scorer.test.ts checks it against the artifact.
 */
export const SHIPPED_EMBEDDER_ID = "local-usedistil72-avg-v28000";
