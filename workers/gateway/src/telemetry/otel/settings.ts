/**
 * The tenant's `telemetry` settings section (PUT /admin/v1/tenants/{id}/settings): content in
 * trace spans is opt-in, per tenant or feature. Even then it is the redacted exchange (PII as
 * placeholders such as <PERSON_1>), the same text the judges read; never the caller's original.
 */
import { z } from "zod";

export const TelemetrySettingsSchema = z
  .object({
    /** Put the redacted messages and answer on the request's span (gen_ai.input/output.messages). */
    captureContent: z.boolean().default(false),
  })
  .strict();
export type TelemetrySettings = z.infer<typeof TelemetrySettingsSchema>;
