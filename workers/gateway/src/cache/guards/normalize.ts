/**
 * Rewrites applied before the guards extract facts, so that two spellings of the same fact
 * compare equal: "U.S." = "US", "2024-05-03" = "May 3 2024", "1.5 million" = "1,500,000",
 * "twenty-five" = "25". Only unambiguous forms are rewritten ("05/03" is May 3 or March 5 and
 * stays as two numbers); everything else is left for the guards to compare as written.
 */
import { MONTHS } from "./lexicon";

const DOTTED_ACRONYM = /\b(?:\p{Lu}\.){2,}/gu;
const ISO_DATE = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g;
const SCALED = /\b(\d+(?:\.\d+)?)\s+(thousand|million|billion|trillion)\b/gi;
const SCALE: Readonly<Record<string, number>> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const UNITS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TENS_UNITS = new RegExp(`\\b(${Object.keys(TENS).join("|")})[\\s-]+(${Object.keys(UNITS).join("|")})\\b`, "gi");

export function normalizeFacts(text: string): string {
  return text
    .replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ""))
    .replace(ISO_DATE, (m, y: string, mo: string, d: string) => {
      const month = MONTHS[Number(mo) - 1];
      return month && Number(d) >= 1 && Number(d) <= 31 ? `${month} ${Number(d)} ${y}` : m;
    })
    .replace(SCALED, (_m, n: string, scale: string) => String(Math.round(Number(n) * (SCALE[scale.toLowerCase()] ?? 1))))
    .replace(TENS_UNITS, (m, tens: string, unit: string) => {
      const t = TENS[tens.toLowerCase()];
      const u = UNITS[unit.toLowerCase()];
      return t && u ? String(t + u) : m;
    });
}

/**
 * UTF-8 punctuation decoded as Windows-1252 or Mac Roman ("Radio‚Äôs", "donâ€™t"), common in
 * scraped text: mapped back, or the stray letters ("Äôs") would read as a name.
 */
const MOJIBAKE: ReadonlyArray<readonly [string, string]> = [
  ["\u201a\u00c4\u00f4", "\u2019"], ["\u201a\u00c4\u00f2", "\u2018"], ["\u201a\u00c4\u00fa", "\u201c"],
  ["\u201a\u00c4\u00f9", "\u201d"], ["\u201a\u00c4\u00ee", "\u2014"], ["\u201a\u00c4\u00ec", "\u2013"],
  ["\u00e2\u20ac\u2122", "\u2019"], ["\u00e2\u20ac\u02dc", "\u2018"], ["\u00e2\u20ac\u0153", "\u201c"],
  ["\u00e2\u20ac\u009d", "\u201d"], ["\u00e2\u20ac\u201d", "\u2014"], ["\u00e2\u20ac\u201c", "\u2013"],
];

export function repairMojibake(text: string): string {
  if (!/[\u00c4\u20ac]/.test(text)) return text;
  let out = text;
  for (const [bad, good] of MOJIBAKE) out = out.split(bad).join(good);
  return out;
}

/** Canonical spelling of a digit string: no thousands separators, ordinal suffix or leading zeros. */
export function canonicalNumber(n: string): string {
  return n.replace(/,/g, "").replace(/(st|nd|rd|th)$/, "").replace(/^0+(?=\d)/, "");
}
