/**
 * One list shape for every paged /v1 read (prompts, versions, requests) and the GraphQL
 * connections built on the same functions: `{ object: "list", data, has_more, next_cursor }`,
 * the envelope of OpenAI's lists (and of /v1/models) plus an opaque cursor. A client pages by
 * sending `next_cursor` back as `?cursor=` until `has_more` is false.
 *
 * The cursor is base64url JSON of the last row's sort key. It is opaque to clients but not
 * secret: it is decoded through a zod schema, so a forged or stale cursor is a 400 (param
 * "cursor"), never a 500, and it can only move within the caller's own tenant-scoped query.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** `limit` for query strings (coerced) and GraphQL arguments alike. */
export const PageLimitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
export const CursorTextSchema = z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/, "not a cursor this API issued");

export function encodeCursor(key: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The sort key inside `cursor`, validated by `schema`; undefined when no cursor was sent. */
export function decodeCursor<S extends z.ZodType>(cursor: string | undefined, schema: S): z.infer<S> | undefined {
  if (cursor === undefined) return undefined;
  const bad = () => new GatewayError("invalid_request", "cursor: not a cursor this list issued (send next_cursor back unchanged).", { param: "cursor" });
  let json: unknown;
  try {
    const bin = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw bad();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw bad();
  return parsed.data;
}

/**
 * Builds the page from `limit + 1` fetched rows: the extra row only says whether there is more.
 * `key` gives the sort key the next page starts after.
 */
export function pageOf<Row, T>(rows: Row[], limit: number, key: (row: Row) => unknown, view: (row: Row) => T): Page<T> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { object: "list", data: kept.map(view), has_more: hasMore, next_cursor: hasMore && last !== undefined ? encodeCursor(key(last)) : null };
}
