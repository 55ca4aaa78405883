/**
 * Time ranges of the /v1 analytics reads (request and evaluation lists, prompt comparisons):
 * `from` / `to` as ISO 8601 or ms since the epoch, `to` defaulting to now and `from` to a
 * default span before it, bounded by a maximum span so one query's scan is bounded too.
 */
import { z } from "zod";

export const DAY_MS = 86_400_000;
// Year 9999 at most: later instants cannot be formatted as ISO dates (a RangeError, a 500).
const MAX_INSTANT_MS = 253_402_300_799_999;

export const InstantSchema = z
  .union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().nonnegative()])
  .pipe(z.number().max(MAX_INSTANT_MS, "dates end at year 9999"));

/** Adds the `from`/`to` defaults and the span check to a query schema with optional instants. */
export function withTimeRange<S extends z.ZodType<{ from?: number | undefined; to?: number | undefined }>>(schema: S, defaultSpanMs: number, maxSpanMs: number) {
  const days = Math.round(maxSpanMs / DAY_MS);
  return schema
    .transform((q) => {
      const to = q.to ?? Date.now();
      return { ...q, from: q.from ?? to - defaultSpanMs, to };
    })
    .refine((q) => q.from < q.to && q.to - q.from <= maxSpanMs, { message: `need from < to and a range of at most ${days} days`, path: ["from"] });
}
