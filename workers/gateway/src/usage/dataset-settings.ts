/**
 * The tenant's `datasets` settings section (PUT /admin/v1/tenants/{id}/settings, tenant-wide):
 * consent to use its traffic as training data beyond the router's own labels. Off by default.
 */
import { z } from "zod";

export const DatasetSettingsSchema = z
  .object({
    /**
     * Served answers of the frontier (any non-small tier) that the judges scored well are
     * fine-tuning targets for the small tier (GET /admin/v1/datasets/fine-tuning, source
     * "teacher"). The text is the sealed, redacted exchange the trace already holds.
     */
    fineTuningTeachers: z.boolean().default(false),
  })
  .strict();
export type DatasetSettings = z.infer<typeof DatasetSettingsSchema>;

/** SQL true when tenant `tenantColumn` opted in (read from the tenant-wide settings row). */
export const teacherOptInSql = (tenantColumn: string): string =>
  `EXISTS (SELECT 1 FROM tenant_settings ts WHERE ts.tenant_id = ${tenantColumn} AND ts.feature = '' AND json_extract(ts.settings_json, '$.datasets.fineTuningTeachers') = 1)`;
