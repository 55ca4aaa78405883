/**
 * End users (`user`, `safety_identifier`, `prompt_cache_key` in a request) are known to the
 * gateway only by a per-tenant pseudonym: `eu_` + 32 hex digits of
 * HMAC-SHA256(HMAC-SHA256(END_USER_HASH_KEY, tenant id), identifier). The same end user of one
 * tenant always gets the same pseudonym (cache scoping, usage by end user, provider abuse
 * tracking keep working), two tenants never share one, and without the Worker secret a
 * guessed e-mail address cannot be confirmed against a stored one.
 * (workers/gateway/src/guardrails/end-user.ts computes it; docs/guardrails.md, "Fields".)
 */
export const END_USER_PSEUDONYM = /^eu_[0-9a-f]{32}$/;

export const isEndUserPseudonym = (value: unknown): value is string => typeof value === "string" && END_USER_PSEUDONYM.test(value);
