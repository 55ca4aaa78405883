-- The drift cron asks which tenants had traffic in an hour (or a day). From the ledger that
-- query walks every tenant's index range; from the hourly rollups with this index it reads the
-- few rollup rows of those hours.
CREATE INDEX usage_rollups_hour ON usage_rollups_hourly (hour, tenant_id);
