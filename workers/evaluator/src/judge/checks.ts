/**
 * Deterministic checks that run before (and cost less than) any judge: JSON Schema compliance
 * when the request asked for response_format json_schema, empty or truncated answers,
 * refusals, and PII leakage. Redaction placeholders (<EMAIL_ADDRESS_1>) are expected in
 * redacted text; a raw email, phone or card number in the response means something leaked.
 */
import type { Schema } from "@cfworker/json-schema";
import { checkAgainstSchema } from "../../../../shared/json-schema-checks";

export interface CheckResult {
  empty: boolean;
  truncated: boolean;
  refusal: boolean;
  piiLeak: string[];
  /** null when no schema was requested. */
  schemaValid: boolean | null;
  schemaErrors: string[];
}

const REFUSAL_RE = /\b(I(?:'m| am) (?:sorry|unable|not able)|I can(?:'|no)t (?:help|assist|comply|provide)|As an AI\b)/i;
const EMAIL_RE = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const PHONE_RE = /(?<![\w<])\+?\d[\d\s().-]{8,}\d(?![\w>])/g;
const CARD_RE = /\b(?:\d[ -]?){13,19}\b/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function piiLeaks(text: string): string[] {
  const kinds = new Set<string>();
  if (text.match(EMAIL_RE)) kinds.add("email");
  for (const m of text.match(CARD_RE) ?? []) {
    const digits = m.replace(/\D/g, "");
    if (digits.length >= 13 && luhn(digits)) kinds.add("card");
  }
  for (const m of text.match(PHONE_RE) ?? []) {
    const digits = m.replace(/\D/g, "");
    const isDate = /^\s*\d{4}-\d{2}-\d{2}/.test(m);
    if (digits.length >= 10 && digits.length <= 15 && !isDate && !kinds.has("card")) kinds.add("phone");
  }
  return [...kinds].sort();
}

/** The schema inside an OpenAI response_format, or undefined when none was asked for. */
export function requestedSchema(responseFormat: unknown): { kind: "json_schema"; schema: Schema } | { kind: "json_object" } | undefined {
  if (typeof responseFormat !== "object" || responseFormat === null) return undefined;
  const rf = responseFormat as Record<string, unknown>;
  if (rf["type"] === "json_object") return { kind: "json_object" };
  const js = rf["json_schema"];
  if (rf["type"] !== "json_schema" || typeof js !== "object" || js === null) return undefined;
  const schema = (js as Record<string, unknown>)["schema"];
  return typeof schema === "object" && schema !== null ? { kind: "json_schema", schema: schema as Schema } : undefined;
}

function schemaCheck(response: string, responseFormat: unknown): { valid: boolean | null; errors: string[] } {
  const wanted = requestedSchema(responseFormat);
  if (!wanted) return { valid: null, errors: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response);
  } catch {
    return { valid: false, errors: ["response is not JSON"] };
  }
  if (wanted.kind === "json_object") return typeof parsed === "object" && parsed !== null ? { valid: true, errors: [] } : { valid: false, errors: ["not a JSON object"] };
  // The schema is the client's: regex keywords are not evaluated (catastrophic backtracking), and
  // one the validator cannot compile is "could not check", never a reason to retry the message.
  return checkAgainstSchema(wanted.schema, parsed);
}

function looksTruncated(response: string, finishReason: unknown): boolean {
  if (finishReason === "length") return true;
  const t = response.trimEnd();
  const fences = (t.match(/```/g) ?? []).length;
  return fences % 2 === 1;
}

export function runChecks(response: string, responseFormat: unknown, finishReason?: unknown): CheckResult {
  const schema = schemaCheck(response, responseFormat);
  return {
    empty: response.trim().length === 0,
    truncated: looksTruncated(response, finishReason),
    refusal: REFUSAL_RE.test(response),
    piiLeak: piiLeaks(response),
    schemaValid: schema.valid,
    schemaErrors: schema.errors,
  };
}

/** Hard failures cap the panel score: a leak or broken format is bad whatever judges say. */
export function hardFailure(c: CheckResult): boolean {
  return c.empty || c.truncated || c.piiLeak.length > 0 || c.schemaValid === false;
}
