/**
 * Maps every string and number leaf of an already-parsed JSON value (a tool's parameter
 * schema, a response_format schema): descriptions, enums, defaults, examples and any extension
 * keyword. Keys stay as they are (they are the schema's property names, which the model must
 * echo). A number whose text the mapper changes becomes that string (a card number as a
 * `default` must not survive as a number).
 */
import { GatewayError } from "../../../../shared/errors";

/** JSON.parse output is nested far less in any real schema; the limit keeps recursion bounded. */
export const MAX_TREE_DEPTH = 64;

export type LeafMapper = (value: string, key: string) => string;

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const FORMATS = new Set(["date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex"]);
/** Keywords whose number is a bound or a count, never data (`default`, `enum`, `const` are data). */
const BOUNDS = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"]);

/**
 * Each detection call costs tens of microseconds and a schema is mostly structure, so leaves
 * that cannot carry anything the detector would act on are not sent to it:
 * - a `type` or `format` keyword's own vocabulary (a closed set of words);
 * - `required` entries that name a sibling `properties` key (keys are forwarded as they are, so
 *   skipping the repeat reveals nothing new; any other entry, e.g. a token, is still mapped);
 * - a bound or count under fewer than 7 digits. Only under BOUNDS: the key is context, and a
 *   short number under a labelled key ("driver_license": 123456, "account": 654321) is PII.
 */
function isStructure(value: string, key: string, names: ReadonlySet<string> | undefined): boolean {
  if (key === "type") return JSON_TYPES.has(value);
  if (key === "format") return FORMATS.has(value);
  return key === "required" && names !== undefined && names.has(value);
}

const isShortBound = (n: number, key: string): boolean => BOUNDS.has(key) && String(n).replace(/\D/g, "").length < 7;

/** The property names a `required` list may repeat, when `o` declares `properties`. */
function propertyNames(o: object): ReadonlySet<string> | undefined {
  const props = (o as { properties?: unknown }).properties;
  return props !== null && typeof props === "object" && !Array.isArray(props) ? new Set(Object.keys(props)) : undefined;
}

function walk(v: unknown, map: LeafMapper, key: string, depth: number, path: string, names?: ReadonlySet<string>): unknown {
  if (depth > MAX_TREE_DEPTH) {
    throw new GatewayError("invalid_request", `${path} is nested deeper than ${MAX_TREE_DEPTH} levels.`, { param: path });
  }
  if (typeof v === "string") return isStructure(v, key, names) ? v : map(v, key);
  if (typeof v === "number") {
    if (isShortBound(v, key)) return v;
    const s = String(v);
    const r = map(s, key);
    return r === s ? v : r;
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, map, key, depth + 1, path, names));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    const declared = "required" in v ? propertyNames(v) : undefined;
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, map, k, depth + 1, path, k === "required" ? declared : undefined);
    return out;
  }
  return v;
}

/** `path` names the field in the error a too-deep value gets (e.g. `tools.0.function.parameters`). */
export function mapJsonTree<T>(value: T, map: LeafMapper, path: string): T {
  return walk(value, map, "", 0, path) as T;
}
