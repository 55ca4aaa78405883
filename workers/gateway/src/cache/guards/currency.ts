/**
 * Currencies a text mentions, as ISO codes: "$200 million" and "200 million USD" name the same
 * currency, "€5" and "5 euros" too; "$5" and "€5" do not. A symbol shared by several
 * currencies keeps its own key when no prefix says which one is meant ("¥" is yen or yuan), so
 * it matches neither code. "$" alone is read as USD, as it is by default in English text; a
 * prefixed dollar ("C$", "A$", "HK$") or a named one ("Canadian dollars") is its own currency.
 */
const PREFIXED_DOLLAR: Readonly<Record<string, string>> = {
  us: "usd", c: "cad", ca: "cad", a: "aud", au: "aud", nz: "nzd", hk: "hkd", s: "sgd",
};
const SYMBOL: Readonly<Record<string, string>> = { "$": "usd", "€": "eur", "£": "gbp", "₹": "inr", "₩": "krw", "₽": "rub", "¥": "¥" };
const NAMED_DOLLAR: Readonly<Record<string, string>> = {
  us: "usd", american: "usd", canadian: "cad", australian: "aud", "new zealand": "nzd", "hong kong": "hkd", singapore: "sgd",
};
const WORDS: Readonly<Record<string, string>> = {
  euro: "eur", euros: "eur", yen: "jpy", yuan: "cny", renminbi: "cny", rmb: "cny", rupee: "inr", rupees: "inr", sterling: "gbp",
};
const CODES = "usd|eur|gbp|jpy|inr|cad|aud|nzd|hkd|sgd|chf|cny|krw|rub|btc|eth";

const CURRENCY = new RegExp(
  [
    `\\b(us|c|ca|a|au|nz|hk|s)\\$`,
    `([$€£¥₹₩₽])`,
    `\\b(${CODES})\\b`,
    `\\b(?:(us|american|canadian|australian|new zealand|hong kong|singapore)\\s+)?dollars?\\b`,
    `\\b(${Object.keys(WORDS).join("|")})\\b`,
  ].join("|"),
  "gi",
);

const CODE = new RegExp(`^(?:${CODES})$`, "i");

export function isCurrencyCode(word: string): boolean {
  return CODE.test(word);
}

export function currencies(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(CURRENCY)) {
    const [, prefix, symbol, code, named, word] = m;
    if (prefix) found.add(PREFIXED_DOLLAR[prefix.toLowerCase()] ?? "usd");
    else if (symbol) found.add(SYMBOL[symbol] ?? symbol);
    else if (code) found.add(code.toLowerCase());
    else if (word) found.add(WORDS[word.toLowerCase()] ?? word.toLowerCase());
    else found.add(named ? (NAMED_DOLLAR[named.toLowerCase().replace(/\s+/g, " ")] ?? "usd") : "usd");
  }
  return found;
}
