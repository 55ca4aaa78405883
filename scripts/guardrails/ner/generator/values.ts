/**
 * Slot values for the generator: names in several spellings (full, first or last alone, lower
 * case, capitals, initials, "Last, First"), places, organisations, and structured identifiers,
 * each drawn from a faker locale of the template's group.
 */
import type { Faker } from "@faker-js/faker";
import type { Span } from "../example";
import type { AddressRenderer } from "./addresses";
import { safe } from "./locales";
import { chance, digits, int, pick, type Rng } from "./random";

export interface SlotContext {
  f: Faker;
  /** en_US faker for values that must be Latin-script (emails) or US-shaped (SSN). */
  en: Faker;
  r: Rng;
  addresses: readonly AddressRenderer[];
}

/** A slot value: the text, and the entity type it is (null: plain text that is part of the template). */
export type SlotValue = Array<[string, Span["type"] | null]>;

const first = (c: SlotContext): string => safe(c.f, (x) => x.person.firstName());
const last = (c: SlotContext): string => safe(c.f, (x) => x.person.lastName());
const CJK = /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/;

function fullName(c: SlotContext): string {
  const r = c.r;
  const fn = first(c);
  const ln = last(c);
  // Chinese, Japanese and Korean names: the locale's own order and spacing.
  if (CJK.test(fn + ln)) return chance(r, 0.5) ? `${ln}${fn}` : `${ln} ${fn}`;
  const roll = r();
  if (roll < 0.12) return `${fn} ${first(c)} ${ln}`;
  if (roll < 0.2) return `${fn} ${first(c)[0] ?? "A"}. ${ln}`;
  if (roll < 0.26) return `${fn[0] ?? "A"}. ${ln}`;
  if (roll < 0.31) return `${ln}, ${fn}`;
  if (roll < 0.35) return `${fn} ${ln}-${last(c)}`;
  if (roll < 0.38) return `${fn} ${ln} ${pick(r, ["Jr.", "Sr.", "III", "II"])}`;
  return `${fn} ${ln}`;
}

function casing(r: Rng, v: string, pLower: number, pUpper: number): string {
  const x = r();
  return x < pLower ? v.toLowerCase() : x < pLower + pUpper ? v.toUpperCase() : v;
}

const TITLES = ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Mr", "Ms", "Dr", "Miss", "Sir", "Madam", "Officer", "Coach", "Rev."];
const ORG_TAILS = ["Inc.", "LLC", "Ltd", "GmbH", "S.A.", "Group", "& Co.", "Holdings", "Partners", "Labs", "AG", "plc", "B.V.", "Pty Ltd"];
const ORG_KINDS = ["Hospital", "Medical Center", "Clinic", "Credit Union", "Bank", "Insurance", "Logistics", "Consulting", "Foundation", "Academy", "Pharmacy", "Law Firm", "Bakery", "Motors", "Studios"];

function organization(c: SlotContext): string {
  const r = c.r;
  const roll = r();
  if (roll < 0.5) return safe(c.f, (x) => x.company.name());
  if (roll < 0.65) return `${last(c)} ${pick(r, ORG_TAILS)}`;
  if (roll < 0.78) return `${safe(c.f, (x) => x.location.city())} ${pick(r, ORG_KINDS)}`;
  if (roll < 0.86) return `${pick(r, ["University of", "Bank of", "Institute of", "College of"])} ${safe(c.f, (x) => x.location.city())}`;
  if (roll < 0.93) return `${last(c)} & ${last(c)}`;
  return safe(c.en, (x) => x.string.alpha({ length: int(r, 2, 4), casing: "upper" })) + " " + pick(r, ORG_TAILS);
}

function phone(c: SlotContext): string {
  const r = c.r;
  const roll = r();
  if (roll < 0.45) return safe(c.f, (x) => x.phone.number());
  if (roll < 0.6) return safe(c.en, (x) => x.phone.number({ style: "international" }));
  if (roll < 0.7) return `(${digits(r, 3)}) ${int(r, 200, 999)}-${digits(r, 4)}`;
  if (roll < 0.8) return `+${pick(r, ["44", "49", "33", "34", "39", "31", "61", "91", "81", "55", "52", "27", "353", "46", "48"])} ${int(r, 1, 9)}${digits(r, 2)} ${digits(r, 3)} ${digits(r, 4)}`;
  if (roll < 0.9) return `${int(r, 200, 989)}.${int(r, 200, 999)}.${digits(r, 4)}`;
  const base = safe(c.en, (x) => x.phone.number()).replace(/\s*x\d+$/, "");
  return `${base} ${pick(r, ["x", "ext. ", "ext "])}${digits(r, int(r, 2, 4))}`;
}

const CARD_ISSUERS = ["visa", "mastercard", "amex", "discover", "diners_club", "jcb", "maestro", "unionpay"];

export const SLOTS: Record<string, (c: SlotContext) => SlotValue> = {
  NAME: (c) => [[casing(c.r, fullName(c), 0.08, 0.04), "PERSON"]],
  NAME_LC: (c) => [[fullName(c).toLowerCase(), "PERSON"]],
  FIRST_LC: (c) => [[first(c).toLowerCase(), "PERSON"]],
  FIRST: (c) => [[casing(c.r, first(c), 0.1, 0.02), "PERSON"]],
  LAST: (c) => [[last(c), "PERSON"]],
  TITLED: (c) => [[`${pick(c.r, TITLES)} `, null], [chance(c.r, 0.5) ? last(c) : `${first(c)} ${last(c)}`, "PERSON"]],
  ADDRESS: (c) => [[pick(c.r, c.addresses)(c.f, c.r), "STREET_ADDRESS"]],
  STREET: (c) => [[safe(c.f, (x) => x.location.streetAddress(chance(c.r, 0.3))), "STREET_ADDRESS"]],
  CITY: (c) => [[safe(c.f, (x) => x.location.city()), "LOCATION"]],
  STATE: (c) => [[safe(c.f, (x) => x.location.state()), "LOCATION"]],
  COUNTRY: (c) => [[safe(c.f, (x) => x.location.country()), "LOCATION"]],
  CITY_COUNTRY: (c) => [[safe(c.f, (x) => x.location.city()), "LOCATION"], [", ", null], [safe(c.f, (x) => x.location.country()), "LOCATION"]],
  ORG: (c) => [[organization(c), "ORGANIZATION"]],
  PHONE: (c) => [[phone(c), "PHONE_NUMBER"]],
  EMAIL: (c) => [[safe(c.en, (x) => x.internet.email()), "EMAIL_ADDRESS"]],
  CARD: (c) => [[safe(c.en, (x) => x.finance.creditCardNumber({ issuer: pick(c.r, CARD_ISSUERS) })), "CREDIT_CARD"]],
  SSN: (c) => [[`${int(c.r, 100, 665)}-${int(c.r, 10, 99)}-${int(c.r, 1000, 9999)}`, "US_SSN"]],
  IBAN: (c) => [[safe(c.en, (x) => x.finance.iban({ formatted: chance(c.r, 0.5) })), "IBAN_CODE"]],
  NUM: (c) => [[String(int(c.r, 2, 90)), null]],
  PRODUCT: (c) => [[safe(c.en, (x) => x.commerce.productName()), null]],
  WEEKDAY: (c) => [[pick(c.r, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]), null]],
};
