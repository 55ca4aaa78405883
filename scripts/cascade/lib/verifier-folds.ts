/**
 * Which fold a prompt belongs to in the verifier's k-fold: a hash of the prompt, so the trainer
 * and bench:replay's Worker (which serves each row with the fold model that left it out) agree
 * without shipping a list of rows.
 */
import { fnv1a } from "../../../shared/hash/fnv1a";

export const verifierFold = (prompt: string, k: number): number => fnv1a(`verifier-fold:${prompt}`) % k;
