import type { RawFinding, Recognizer } from "../../types";
import { matches } from "../context";

const SCHEME = /\b(?:https?|ftp|wss?):\/\/[^\s<>"'`]+/gi;
const WWW = /(?<![\w./@-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s<>"'`]*)?/gi;
// Bare domains only with common TLDs: "file.txt" or "e.g" must not become URLs.
const BARE = /(?<![\w./@:-])(?!www\.)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:com|org|net|io|edu|gov|co|ai|dev|app|info|biz|us|uk|de|fr|es|it|nl|eu|ca|au|in|me|ly)(?:\/[^\s<>"'`]*)?(?![\w@-])/gi;

/** Sentence punctuation that follows a URL is not part of it. */
function trimTail(s: string): string {
  let t = s.replace(/[.,;:!?'"]+$/, "");
  if (t.endsWith(")") && !t.includes("(")) t = t.slice(0, -1);
  return t;
}

export const urlRecognizer: Recognizer = {
  name: "url",
  types: ["URL"],
  find(text) {
    if (!text.includes(".")) return [];
    const out: RawFinding[] = [];
    const push = (re: RegExp, score: number): void => {
      for (const m of matches(re, text)) out.push({ type: "URL", start: m.index, end: m.index + trimTail(m[0]).length, score });
    };
    push(SCHEME, 0.95);
    push(WWW, 0.9);
    push(BARE, 0.6);
    return out;
  },
};
