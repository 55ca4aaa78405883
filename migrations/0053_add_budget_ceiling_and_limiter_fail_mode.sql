-- Budgets: hard ceiling of downgrade budgets; rate limits: what to do when the limiter is unreachable.

-- Downgrade budgets: past monthly_usd every call is served on the cheapest tier the key may use;
-- past ceiling_usd (NULL = 1.2 x monthly_usd) calls are refused. Unused by block budgets.
ALTER TABLE budgets ADD COLUMN ceiling_usd REAL CHECK (ceiling_usd IS NULL OR ceiling_usd >= 0);

-- What a call meets when the tenant's RateLimiter Durable Object is unreachable: 'closed'
-- (NULL, the default) refuses it with 503, 'open' lets it through and logs a warning.
ALTER TABLE tenant_limits ADD COLUMN limiter_fail_mode TEXT CHECK (limiter_fail_mode IN ('open', 'closed'));
