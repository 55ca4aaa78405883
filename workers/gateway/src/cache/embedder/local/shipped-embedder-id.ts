/**
 * The id of the shipped local embedder (glove-sif-int8.bin with default options), as a constant
 * so code that keys measurements by embedder need not decode the 2.5 MB artifact to know it.
 * calibration/scorer.test.ts checks it against the artifact.
 */
export const SHIPPED_EMBEDDER_ID = "local-glove72-avg-v28000";
