/**
 * The project's one deterministic sampling draw: FNV-1a of a key / 2^32, in [0, 1). Every
 * sampling decision keyed by a request id uses it (the evaluator's JUDGE/TRACE/EVALUATION/LEDGER
 * sampling, the gateway's shadow calls, the labelled band's thinning), so that "drawn below rate
 * r" means the same requests everywhere: a shadow drawn at 2% is judged and kept at any judge,
 * trace and ledger rate >= 2%. The same request gets the same decision on redelivery.
 */
import { fnv1a } from "./fnv1a";

export const unitDraw = (key: string): number => fnv1a(key) / 0x1_0000_0000;
