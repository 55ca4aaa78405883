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

function walk(v: unknown, map: LeafMapper, key: string, depth: number, path: string): unknown {
  if (depth > MAX_TREE_DEPTH) {
    throw new GatewayError("invalid_request", `${path} is nested deeper than ${MAX_TREE_DEPTH} levels.`, { param: path });
  }
  if (typeof v === "string") return map(v, key);
  if (typeof v === "number") {
    const s = String(v);
    const r = map(s, key);
    return r === s ? v : r;
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, map, key, depth + 1, path));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, map, k, depth + 1, path);
    return out;
  }
  return v;
}

/** `path` names the field in the error a too-deep value gets (e.g. `tools.0.function.parameters`). */
export function mapJsonTree<T>(value: T, map: LeafMapper, path: string): T {
  return walk(value, map, "", 0, path) as T;
}
