/**
 * Identifiers in a request (participant names, tool-call ids, function names) are redacted
 * under rules of their own, because upstreams validate their shape: OpenAI refuses a message
 * `name` with `<`, `>`, `|`, `\`, `/` or whitespace, Anthropic a tool id outside
 * [A-Za-z0-9_-], and a function name must come back from the model exactly as defined.
 */
import { PII_ENTITY_TYPES, type PiiEntityType } from "../types";
import type { PiiSettings } from "./policy";

/**
 * What ids and function names are checked for: values with a checksum or an unmistakable
 * shape. Names, places, dates and high-entropy "secrets" are left out: `get_stock_price` reads
 * as a PERSON to the tagger and every OpenAI call id (`call_Dn2r2Ukk3dLCePb8hhXYh5YS`) as a
 * random token.
 */
const NOT_FOR_IDENTIFIERS: ReadonlySet<PiiEntityType> = new Set<PiiEntityType>(["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS", "DATE_TIME", "URL", "SECRET"]);
export const IDENTIFIER_ENTITIES: ReadonlySet<PiiEntityType> = new Set(PII_ENTITY_TYPES.filter((t) => !NOT_FOR_IDENTIFIERS.has(t)));

/** The tenant's policy with every type outside IDENTIFIER_ENTITIES allowed. */
export function identifierSettings(settings: PiiSettings): PiiSettings {
  const entities = { ...settings.entities };
  for (const t of Object.keys(entities) as PiiEntityType[]) if (!IDENTIFIER_ENTITIES.has(t)) entities[t] = "allow";
  return { ...settings, entities };
}

/** `<PERSON_1>` -> `PERSON_1`, `<EMAIL_ADDRESS:3fa9…>` -> `EMAIL_ADDRESS:3fa9…`: what OpenAI accepts as a name. */
export const nameSafe = (redacted: string): string => redacted.replace(/[<>]/g, "").replace(/[\s|\\/]+/g, "_");

/** Anthropic's tool-id alphabet. Applied only to an id redaction changed, so ordinary ids keep their bytes. */
export const idSafe = (redacted: string): string => redacted.replace(/[^A-Za-z0-9_-]/g, "_");
