/**
 * Stated arithmetic in a draft, recomputed. Models write their working as `3 x 60 = 180`,
 * `<<3*60=180>>`, `200 * 40% = 80` or chains like `5 + 0.5 * 30 = 5 + 15 = 20`; a step whose
 * stated result differs from its recomputed value is a wrong draft no matter how fluent the
 * prose is. Only plain numeric expressions are evaluated (a tiny recursive-descent parser,
 * never `eval`); anything with symbols or words it cannot read is skipped, not guessed.
 */

export interface ArithmeticCheck {
  /** Equations recomputed. */
  checked: number;
  /** Of those, stated results that differ from the recomputed value. */
  wrong: number;
  /** Result of the last equation recomputed in the text (its stated value), if any. */
  lastResult: number | null;
  /** Every stated result, in order (for "was the final answer ever computed?"). */
  results: number[];
}

const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+`;
const NUMBER_RE = new RegExp(`^(?:${NUM})`);
const FRACTION_RE = /^(\d+)\/(\d+)(?![\d.])/;

/** Parses "1,200.5" / "3" / ".5"; null when not a number. */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/[$€£\s]/g, "").replace(/,(?=\d{3}\b)/g, "");
  if (!/^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(s)) return null;
  return Number(s);
}

type Token = { kind: "num"; value: number } | { kind: "op"; op: string };

function tokenize(expr: string): Token[] | null {
  const tokens: Token[] = [];
  let s = expr.replace(/[$€£]/g, "").replace(/\\(?:times|cdot)/g, "*").replace(/\\div/g, "/").replace(/[×·]/g, "*").replace(/÷/g, "/").replace(/−/g, "-");
  while ((s = s.trimStart())) {
    const m = FRACTION_RE.exec(s) ?? NUMBER_RE.exec(s);
    if (m) {
      // "2/5" written tight is one quantity (12.8 / 2/5 means 12.8 / 0.4), as people read it.
      let value = m[2] !== undefined ? Number(m[1]) / Number(m[2]) : Number(m[0].replace(/,/g, ""));
      s = s.slice(m[0].length);
      if (s.startsWith("%")) {
        value /= 100;
        s = s.slice(1);
      }
      tokens.push({ kind: "num", value });
      continue;
    }
    const c = s[0] as string;
    if ("+-*/^()".includes(c)) tokens.push({ kind: "op", op: c });
    // "3 x 4" multiplies; "3x" next to a letter or nothing is algebra, which is not evaluated.
    else if ((c === "x" || c === "X") && tokens.at(-1)?.kind === "num" && /^[xX]\s*[$€£(.\d]/.test(s)) tokens.push({ kind: "op", op: "*" });
    else return null;
    s = s.slice(1);
  }
  return tokens;
}

/** Evaluates + - * / ^ and parentheses; null for anything else (or a division by zero). */
export function evaluate(expr: string): number | null {
  const tokens = tokenize(expr);
  if (!tokens || tokens.length === 0) return null;
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isOp = (op: string): boolean => {
    const t = peek();
    return t?.kind === "op" && t.op === op;
  };
  const primary = (): number => {
    const t = tokens[i++];
    if (!t) throw new Error("end");
    if (t.kind === "num") return t.value;
    if (t.op === "-") return -primary();
    if (t.op === "(") {
      const v = sum();
      if (!isOp(")")) throw new Error("paren");
      i++;
      return v;
    }
    throw new Error("token");
  };
  const power = (): number => {
    const base = primary();
    if (!isOp("^")) return base;
    i++;
    return base ** power();
  };
  const product = (): number => {
    let v = power();
    while (isOp("*") || isOp("/")) {
      const op = (tokens[i++] as { op: string }).op;
      const r = power();
      v = op === "*" ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (isOp("+") || isOp("-")) {
      const op = (tokens[i++] as { op: string }).op;
      const r = product();
      v = op === "+" ? v + r : v - r;
    }
    return v;
  };
  try {
    const v = sum();
    return i === tokens.length && Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

const hasOperator = (expr: string): boolean => /\d\s*%?\s*\)?\s*[-+*/^x×÷]\s*\(?\s*[$€£]?-?\.?\d/.test(expr.replace(/\\(?:times|cdot|div)/g, "*"));

/** Equal up to the precision the writer used (stated 10.93 for 10.9333) or 0.5% relative. */
export function agrees(computed: number, stated: number, statedRaw = String(stated)): boolean {
  const diff = Math.abs(computed - stated);
  if (diff <= 1e-9 + 0.005 * Math.abs(computed)) return true;
  const decimals = /\.(\d+)/.exec(statedRaw)?.[1]?.length ?? 0;
  return diff <= 0.5 * 10 ** -decimals + 1e-9;
}

const EXPR_CHARS = String.raw`[\d\s.,$€£%()+\-*/^x×÷·−]`;
// The arithmetic tail of a left-hand side ("so he pays 3 x 60" -> "3 x 60") and head of a
// right-hand side ("180 meters" -> "180").
const TAIL_RE = new RegExp(`(?:^|[^\\w.])(\\(?\\s*[$€£]?-?(?:${NUM})${EXPR_CHARS}*)$`);
const HEAD_RE = new RegExp(`^\\s*(${EXPR_CHARS}*?(?:${NUM})%?\\)?)(?=\\s*(?:$|[^\\d.,%)+\\-*/^×÷]|[.,](?!\\d)))`);
// A side that continues into a variable ("x * 4 + 8", "= 40 - y") is algebra: not judged.
const OPERATOR_BEFORE = /[-+*/^×÷(=]\s*$/;
const OPERATOR_AFTER = /^\s*[-+*/^×÷]/;

/** Unit words between a number and an operator ("60 meters/sprint *") are dropped. */
const dropUnits = (s: string): string =>
  // "80 (cow legs) + 80 (chicken legs)": labels in parentheses go first, then unit words.
  s.replace(/\s*\([A-Za-z][^()]{0,40}\)/g, " ").replace(/(\d%?)[ \t]*((?:[A-Za-z]+(?:\/[A-Za-z]+)?[ \t]*){1,3})(?=[-+*/×÷=)])/g, (_m, num: string, words: string) =>
    // A multiplier word ("4 dozen + 2") changes the value and a single letter is a variable
    // ("7x + 11x"): the expression becomes unreadable instead.
    MULTIPLIER_WORDS.test(words) || /^[A-Za-z]\b/.test(words) ? `${num} ? ` : `${num} `,
  );
const MULTIPLIER_WORDS = /\b(?:dozens?|hundreds?|thousands?|millions?|billions?|percent|k)\b/i;

function statedValue(raw: string): number | null {
  const v = /%\s*$/.test(raw) ? null : evaluate(raw);
  if (v !== null) return v;
  const n = parseNumber(raw.replace(/%\s*$/, "").trim());
  return n;
}

function checkChain(segments: string[], out: ArithmeticCheck): void {
  for (let k = 0; k + 1 < segments.length; k++) {
    const first = segments[k] as string;
    const tail = k === 0 ? TAIL_RE.exec(first) : null;
    if (tail && OPERATOR_BEFORE.test(first.slice(0, tail.index + tail[0].length - (tail[1]?.length ?? 0)))) continue;
    const left = k === 0 ? tail?.[1] : first;
    const rightFull = segments[k + 1] as string;
    const isLast = k + 1 === segments.length - 1;
    const head = isLast ? HEAD_RE.exec(rightFull) : null;
    if (head && OPERATOR_AFTER.test(rightFull.slice(head[0].length))) continue;
    const right = isLast ? head?.[1] : rightFull;
    if (!left || !right || !hasOperator(left)) continue;
    const computed = evaluate(left);
    const rightTrim = right.trim();
    const continues = hasOperator(rightTrim);
    const stated = continues ? evaluate(rightTrim) : statedValue(rightTrim);
    if (computed === null || stated === null) continue;
    out.checked++;
    // A stated percentage may be written as 60% or 0.6: either reading is accepted. A running
    // chain ("12 + 84 = 96 / 3 = 32") restates the result as the next step's first number.
    const lead = continues ? parseNumber(/^\s*\(?\s*[$€£]?([\d.,]+)/.exec(rightTrim)?.[1] ?? "") : null;
    const ok =
      agrees(computed, stated, rightTrim) ||
      (rightTrim.endsWith("%") && agrees(computed * 100, stated, rightTrim)) ||
      (lead !== null && agrees(computed, lead));
    if (!ok) out.wrong++;
    out.lastResult = stated;
    out.results.push(stated);
  }
}

const MAX_EQUATIONS = 60;
const MAX_EQUATION_LINES = 120;

/** Recomputes every `expr = value` (and `<<expr=value>>`) the draft states, in text order. */
export function checkArithmetic(text: string): ArithmeticCheck {
  const out: ArithmeticCheck = { checked: 0, wrong: 0, lastResult: null, results: [] };
  const cleaned = text.slice(0, 12_000).replace(/\\[()[\]]/g, " ").replace(/\\(?=[*_])/g, "");
  let examined = 0;
  for (const line of cleaned.split(/\n|(?<=[.!?])\s+(?=[A-Z])|;/)) {
    if (!line.includes("=") || line.length > 600) continue;
    // On the request path: a draft's first lines with equations are plenty to judge it.
    if (out.checked >= MAX_EQUATIONS || ++examined > MAX_EQUATION_LINES) break;
    // Calculator annotations (GSM8K style) are checked where they stand, then removed so the
    // visible equation around them is read once.
    const visible = line.replace(/<<([^<>=]{1,200})=([^<>]{1,60})>>/g, (_m, expr: string, value: string) => {
      checkChain([expr, value], out);
      return "";
    });
    const segments = dropUnits(visible).split(/=+|≈/);
    if (segments.length < 2 || segments.length > 8) continue;
    checkChain(segments, out);
  }
  return out;
}
