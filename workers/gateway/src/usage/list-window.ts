/**
 * What the newest-first analytics lists (GET /v1/requests, GET /v1/evaluations) share: page
 * size and cursor, the time window, feature and model filters, and the keyset cursor over
 * (completed_at, request_id), so a page costs the same at any depth.
 */
import { z } from "zod";
import { CursorTextSchema, PageLimitSchema } from "../http/page";
import { InstantSchema } from "../http/time-range";

/** A filter value in the ledger's token alphabet (model ids, tiers). */
export const TokenSchema = z.string().regex(/^[A-Za-z0-9._:/@-]{1,256}$/, "letters, digits and . _ : / @ - only");

export const listWindowShape = {
  limit: PageLimitSchema,
  cursor: CursorTextSchema.optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  /** Same token as a request's feature (chat/feature.ts). */
  feature: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional(),
  model: TokenSchema.optional(),
};

/** The last row's (completed_at, request_id); the next page starts strictly after it. */
export const KeysetCursorSchema = z.tuple([z.number().int(), z.string().max(256)]);
