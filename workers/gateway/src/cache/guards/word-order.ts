/**
 * Role-order check: "Flights from Paris to London" vs "from London to Paris", "dog bites man"
 * vs "man bites dog". Bag-of-words embeddings score these ~1.0, so when both texts use (almost)
 * the same content words, participants trading places means changed roles.
 */
import { STOPWORDS } from "./lexicon";

/** Content words this similar are "the same words"; then a changed order means changed roles. */
const SAME_WORDS_JACCARD = 0.8;

/**
 * Most content words a participant (a noun phrase: "the big red dog") has. Words changing
 * sides of an anchor in larger numbers are a clause moved around it, not two participants
 * trading places: "the mayor said the bridge plan was too costly" = "the bridge plan was too
 * costly, the mayor said" (the `clauseMove` equivalence, off by default: guards/rules.ts).
 */
const MAX_PARTICIPANT_WORDS = 3;

/**
 * Longer texts are not role-checked: participants trading places is a short-question failure
 * of bag-of-words similarity, and the check is quadratic in the words (cubic before index maps),
 * so a 2,000-word question took seconds.
 */
const MAX_WORDS = 200;

/** First and last index of every word, so position lookups are O(1) instead of scans. */
function positions(words: string[]): { first: Map<string, number>; last: Map<string, number> } {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  words.forEach((w, i) => {
    if (!first.has(w)) first.set(w, i);
    last.set(w, i);
  });
  return { first, last };
}

/** `clauseMove` off: any participants trading sides of an anchor count, however many words move. */
export function rolesSwapped(a: string[], b: string[], clauseMove = true): boolean {
  if (a.length > MAX_WORDS || b.length > MAX_WORDS) return false;
  const ca = a.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const cb = b.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const sa = new Set(ca);
  const sb = new Set(cb);
  const shared = [...sa].filter((w) => sb.has(w));
  if (shared.length < 2 || shared.length / (sa.size + sb.size - shared.length) < SAME_WORDS_JACCARD) return false;
  const pa = positions(ca);
  const pb = positions(cb);
  const at = (p: ReturnType<typeof positions>, w: string): number => p.first.get(w) ?? -1;
  const once = shared.filter((w) => at(pa, w) === pa.last.get(w) && at(pb, w) === pb.last.get(w));
  const order = once.map((w) => at(pb, w)).sort((x, y) => x - y);
  const byA = [...once].sort((x, y) => at(pa, x) - at(pa, y)).map((w) => at(pb, w));
  // Exactly two words trading places, or two participants changing sides of a word between
  // them ("man carrying dog" vs "dog carrying man"), is a role swap; a phrase moved elsewhere
  // ("a boy at school takes a test" vs "a boy takes a test at school") keeps the roles.
  return byA.filter((pos, i) => pos !== order[i]).length === 2 || sidesSwapped(once, a, b, clauseMove ? MAX_PARTICIPANT_WORDS : Infinity);
}

/** Content words `u`, `v` and a word `w` between them: u < w < v in one text, v < w < u in the other. */
function sidesSwapped(content: string[], a: string[], b: string[], maxParticipantWords: number): boolean {
  const pa = positions(a);
  const pb = positions(b);
  const ia = (w: string): number => pa.first.get(w) ?? -1;
  const ib = (w: string): number => pb.first.get(w) ?? -1;
  const anchors = a.filter((w) => ia(w) === pa.last.get(w) && ib(w) !== -1 && ib(w) === pb.last.get(w));
  for (const w of anchors) {
    const aw = ia(w);
    const bw = ib(w);
    const before = content.filter((u) => u !== w && ia(u) < aw && ib(u) > bw);
    const after = content.filter((v) => v !== w && ia(v) > aw && ib(v) < bw);
    const participants = (n: number): boolean => n > 0 && n <= maxParticipantWords;
    if (participants(before.length) && participants(after.length)) return true;
  }
  return false;
}
