/**
 * Generated PII values for property tests (imported only by *.test.ts): e-mail addresses, US
 * SSNs, Luhn-valid card numbers of the big issuers, US / UK / German phone numbers, IBANs with
 * valid mod-97 check digits, and gateway API keys, in the notations people type. Values are
 * generated, never taken from a data set; `pii-arbitraries.test.ts` checks that each one is
 * found when it stands in a sentence, so a property failure means a field was not covered.
 */
import fc from "fast-check";

export type PlantedKind = "email" | "ssn" | "card" | "phone" | "iban" | "gatewayKey";

export interface Planted {
  kind: PlantedKind;
  value: string;
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
const pad = (n: number, width: number) => String(n).padStart(width, "0");

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/),
    fc.option(fc.stringMatching(/^[a-z][a-z0-9]{1,6}$/), { nil: undefined }),
    fc.stringMatching(/^[a-z]{3,10}$/),
    fc.constantFrom("com", "org", "net", "io", "de", "co.uk"),
  )
  .map(([a, b, host, tld]) => `${a}${b ? `.${b}` : ""}@${host}.${tld}`);

// SSA never issues area 000, 666 or 9xx, group 00 or serial 0000; a few numbers printed in
// advertisements are void and rejected by the recognizer on purpose.
const VOID_SSNS = new Set(["078051120", "219099999", "123456789"]);
const ssn = fc
  .tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .map(([a, g, s]) => `${pad(a, 3)}-${pad(g, 2)}-${pad(s, 4)}`)
  .filter((v) => !VOID_SSNS.has(v.replace(/-/g, "")));

function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const ISSUERS: Array<{ prefixes: string[]; length: number; groups: number[] }> = [
  { prefixes: ["4"], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ["51", "52", "53", "54", "55", "2221", "2720"], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ["34", "37"], length: 15, groups: [4, 6, 5] },
  { prefixes: ["6011"], length: 16, groups: [4, 4, 4, 4] },
];

const card = fc
  .tuple(fc.constantFrom(...ISSUERS), fc.nat(), digits(18), fc.constantFrom("", " ", "-"))
  .map(([issuer, pick, rest, sep]) => {
    const prefix = issuer.prefixes[pick % issuer.prefixes.length] ?? "4";
    const number = luhnComplete(prefix + rest.slice(0, issuer.length - prefix.length - 1));
    if (!sep) return number;
    let at = 0;
    return issuer.groups.map((g) => number.slice(at, (at += g))).join(sep);
  });

const US_AREAS = ["212", "310", "312", "415", "503", "512", "617", "646", "702", "713", "206", "303", "404", "305"];
const usPhone = fc
  .tuple(fc.constantFrom(...US_AREAS), fc.integer({ min: 200, max: 999 }), digits(4), fc.integer({ min: 0, max: 3 }))
  .map(([area, exchange, line, style]) => {
    if (style === 0) return `(${area}) ${exchange}-${line}`;
    if (style === 1) return `+1 ${area}-${exchange}-${line}`;
    if (style === 2) return `${area}.${exchange}.${line}`;
    return `+1 (${area}) ${exchange} ${line}`;
  });
const ukMobile = fc.tuple(fc.integer({ min: 7400, max: 7999 }), digits(6)).map(([a, b]) => `+44 ${a} ${b}`);
const deLandline = fc.tuple(fc.constantFrom("30", "40", "69", "89"), digits(8)).map(([city, n]) => `+49 ${city} ${n.replace(/^0/, "5")}`);
const phone = fc.oneof(usPhone, usPhone, ukMobile, deLandline);

/** ISO 13616: check digits make (BBAN + country letters as numbers + "00") mod 97 == 1. */
function ibanWithCheck(country: string, bban: string): string {
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  return `${country}${pad(98 - rem, 2)}${bban}`;
}
const iban = fc
  .tuple(
    fc.oneof(
      digits(18).map((b) => ibanWithCheck("DE", b)),
      fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), digits(14)).map(([bank, n]) => ibanWithCheck("GB", bank + n)),
      digits(23).map((b) => ibanWithCheck("FR", b)),
    ),
    fc.boolean(),
  )
  .map(([value, grouped]) => (grouped ? (value.match(/.{1,4}/g) ?? [value]).join(" ") : value));

const gatewayKey = fc
  .tuple(fc.constantFrom("live", "test", "local"), fc.stringMatching(/^[a-z2-7]{12}$/), fc.stringMatching(/^[a-z2-7]{52}$/))
  .map(([env, prefix, secret]) => `gw_${env}_${prefix}_${secret}`);

export const PII_BY_KIND: Record<PlantedKind, fc.Arbitrary<string>> = { email, ssn, card, phone, iban, gatewayKey };

export const planted: fc.Arbitrary<Planted> = fc.oneof(
  ...(Object.entries(PII_BY_KIND) as Array<[PlantedKind, fc.Arbitrary<string>]>).map(([kind, arb]) => arb.map((value) => ({ kind, value }))),
);

/** Kinds that stay recognisable inside a URL (a query parameter value). */
export const urlSafePlanted = fc.oneof(email.map((value) => ({ kind: "email" as const, value })), gatewayKey.map((value) => ({ kind: "gatewayKey" as const, value })));

const WORDS = ["please", "check", "the", "record", "for", "order", "note", "update", "reply", "with", "status", "and", "ticket", "today", "value", "is", "here", "sent", "account", "details"];
export const filler = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 6 }).map((w) => w.join(" "));

/** A sentence with one planted value between words (never glued to them). */
export const sentenceWith = (value: string) => fc.tuple(filler, filler).map(([a, b]) => [a, value, b].filter(Boolean).join(" "));
