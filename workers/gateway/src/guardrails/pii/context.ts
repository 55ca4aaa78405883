/**
 * Context words: Presidio's trick of raising a weak pattern's score when a telling word
 * ("passport", "SSN", "routing") sits just before it. Only the preceding window is read,
 * because in running text the label comes before the value far more often than after.
 */
export function precededBy(text: string, start: number, words: RegExp, window = 48): boolean {
  const from = Math.max(0, start - window);
  return words.test(text.slice(from, start).replace(/[_-]/g, " "));
}

/** Whether the context words occur near the span on either side. */
export function near(text: string, start: number, end: number, words: RegExp, window = 48): boolean {
  return precededBy(text, start, words, window) || words.test(text.slice(end, end + window / 2).replace(/[_-]/g, " "));
}

/** Iterate a global regex's matches without allocating an array of all of them up front. */
export function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const g = re.global ? re : new RegExp(re.source, re.flags + "g");
  g.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(text)) !== null) {
    if (m[0].length === 0) g.lastIndex++;
    yield m;
  }
}
