/**
 * Entity names follow Microsoft Presidio's so dashboards and policies written for Presidio
 * carry over. Secret types (API_KEY, PRIVATE_KEY, JWT, SECRET) are ours: Presidio has none.
 */
export const PII_ENTITY_TYPES = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "URL",
  "CRYPTO",
  "US_BANK_NUMBER",
  "ABA_ROUTING_NUMBER",
  "US_PASSPORT",
  "US_DRIVER_LICENSE",
  "DATE_TIME",
  "API_KEY",
  "PRIVATE_KEY",
  "JWT",
  "SECRET",
  "PERSON",
  "LOCATION",
  "STREET_ADDRESS",
  "ORGANIZATION",
] as const;
export type PiiEntityType = (typeof PII_ENTITY_TYPES)[number];

/** UTF-16 code-unit offsets into the ORIGINAL text, end exclusive. */
export interface PiiFinding {
  type: PiiEntityType;
  start: number;
  end: number;
  score: number;
  text: string;
}

/** What a recognizer reports, in offsets of the text it was given (the normalized copy). */
export interface RawFinding {
  type: PiiEntityType;
  start: number;
  end: number;
  score: number;
}

export interface Recognizer {
  readonly name: string;
  readonly types: readonly PiiEntityType[];
  /** `lang` is a BCP-47 primary tag ("en", "de"); recognizers may use it for context words. */
  find(text: string, lang: string): RawFinding[];
}
