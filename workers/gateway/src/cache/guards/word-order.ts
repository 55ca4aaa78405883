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
 * trading places: "Gainer said the aides are sorry" = "The aides are sorry, Gainer said".
 */
const MAX_PARTICIPANT_WORDS = 3;

export function rolesSwapped(a: string[], b: string[]): boolean {
  const ca = a.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const cb = b.filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const sa = new Set(ca);
  const sb = new Set(cb);
  const shared = [...sa].filter((w) => sb.has(w));
  if (shared.length < 2 || shared.length / (sa.size + sb.size - shared.length) < SAME_WORDS_JACCARD) return false;
  const once = shared.filter((w) => ca.indexOf(w) === ca.lastIndexOf(w) && cb.indexOf(w) === cb.lastIndexOf(w));
  const order = once.map((w) => cb.indexOf(w)).sort((x, y) => x - y);
  const byA = [...once].sort((x, y) => ca.indexOf(x) - ca.indexOf(y)).map((w) => cb.indexOf(w));
  // Exactly two words trading places, or two participants changing sides of a word between
  // them ("man carrying dog" vs "dog carrying man"), is a role swap; a phrase moved elsewhere
  // ("a boy at school takes a test" vs "a boy takes a test at school") keeps the roles.
  return byA.filter((pos, i) => pos !== order[i]).length === 2 || sidesSwapped(once, a, b);
}

/** Content words `u`, `v` and a word `w` between them: u < w < v in one text, v < w < u in the other. */
function sidesSwapped(content: string[], a: string[], b: string[]): boolean {
  const anchors = a.filter((w) => a.indexOf(w) === a.lastIndexOf(w) && b.indexOf(w) !== -1 && b.indexOf(w) === b.lastIndexOf(w));
  for (const w of anchors) {
    const aw = a.indexOf(w);
    const bw = b.indexOf(w);
    const before = content.filter((u) => u !== w && a.indexOf(u) < aw && b.indexOf(u) > bw);
    const after = content.filter((v) => v !== w && a.indexOf(v) > aw && b.indexOf(v) < bw);
    const participants = (n: number): boolean => n > 0 && n <= MAX_PARTICIPANT_WORDS;
    if (participants(before.length) && participants(after.length)) return true;
  }
  return false;
}
