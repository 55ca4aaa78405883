/**
 * Issuer identification ranges (IIN, the leading digits) and the card lengths each issuer uses.
 * A Luhn-valid number whose prefix and length match an issuer is a card; other Luhn-valid runs
 * need a "card" label nearby. 12-digit cards exist (Maestro), 15 (Amex, UATP, old JCB) and 19.
 */
interface IssuerRange {
  /** Inclusive prefix range, compared on the first `from.length` digits. */
  from: string;
  to: string;
  lengths: readonly number[];
}

const r = (from: string, to: string, lengths: readonly number[]): IssuerRange => ({ from, to, lengths });
const L16_19 = [16, 17, 18, 19];

export const ISSUER_RANGES: readonly IssuerRange[] = [
  r("4", "4", [13, 16, 19]), // Visa (and Visa Electron)
  r("51", "55", [16]), // Mastercard
  r("2221", "2720", [16]), // Mastercard 2-series
  r("2200", "2204", L16_19), // Mir
  r("34", "34", [15]), // American Express
  r("37", "37", [15]),
  r("6011", "6011", L16_19), // Discover
  r("644", "649", L16_19),
  r("65", "65", L16_19), // Discover / RuPay
  r("622126", "622925", L16_19),
  r("300", "305", [14, 16, 17, 18, 19]), // Diners Club
  r("36", "36", [14, 15, 16, 17, 18, 19]),
  r("38", "39", [14, 16, 17, 18, 19]),
  r("3528", "3589", L16_19), // JCB
  r("2131", "2131", [15]), // JCB (old 15-digit)
  r("1800", "1800", [15]),
  r("62", "62", L16_19), // UnionPay
  r("81", "82", [16, 17, 18, 19]), // UnionPay / RuPay
  r("50", "50", [12, 13, 14, 15, 16, 17, 18, 19]), // Maestro (5018, 5020, 5038 …), Verve, RuPay 508
  r("56", "69", [12, 13, 14, 15, 16, 17, 18, 19]), // Maestro and domestic schemes (6304, 6759, 0604 …)
  r("1", "1", [15]), // UATP
  r("9792", "9792", [16]), // Troy
];

/** Whether `digits` (no separators) has an issuer prefix that issues cards of its length. */
export function matchesIssuer(digits: string): boolean {
  for (const x of ISSUER_RANGES) {
    const p = digits.slice(0, x.from.length);
    if (p >= x.from && p <= x.to && x.lengths.includes(digits.length)) return true;
  }
  return false;
}
