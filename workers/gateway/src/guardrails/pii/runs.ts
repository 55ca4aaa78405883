/**
 * Linear scan for runs of base64/token characters. A regex like /[A-Za-z0-9+/]{16,}/ restarts at
 * every position inside each word (O(n·word length)); this visits each char once.
 */
const TOKEN_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-") TOKEN_CHAR[c.charCodeAt(0)] = 1;

/** [start, end) of maximal runs of [A-Za-z0-9+/=_-] at least `min` long, at most `cap` of them. */
export function tokenRuns(text: string, min: number, cap = 256): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c < 128 && TOKEN_CHAR[c] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= min) {
        out.push([start, i]);
        if (out.length >= cap) break;
      }
      start = -1;
    }
  }
  return out;
}
