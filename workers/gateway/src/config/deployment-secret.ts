/**
 * Reading a keying secret (PII_HASH_KEY, END_USER_HASH_KEY) from the Worker environment, and
 * deciding what its absence means. Local stacks and tests (ENVIRONMENT local/test/dev) may run
 * without one: callers then derive from a public label, which still separates tenants. Anywhere
 * else (production, staging, or ENVIRONMENT unset) a missing or unusable secret is `missing`,
 * and callers fail closed instead of falling back to a key anyone could recompute.
 */
import type { z } from "zod";
import { warnConfigOnce } from "../../../../shared/config-warning";

export type SecretState = { kind: "set"; value: string } | { kind: "local_unset" } | { kind: "missing" };

const LOCAL_ENVIRONMENTS: ReadonlySet<string> = new Set(["local", "test", "dev", "development"]);

export const isLocalEnvironment = (env: object): boolean => {
  const name = (env as Record<string, unknown>).ENVIRONMENT;
  return typeof name === "string" && LOCAL_ENVIRONMENTS.has(name);
};

/**
 * `schema` says what a usable value is (e.g. a minimum length). A value that fails it is
 * ignored with a warning, as if unset: a short key would be a guessable one.
 */
export function secretState(env: object, name: string, schema: z.ZodType<string>): SecretState {
  const raw = (env as Record<string, unknown>)[name];
  if (raw !== undefined && raw !== "") {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { kind: "set", value: parsed.data };
    warnConfigOnce(`${name} is set but unusable, so it is ignored`, { secret: name, problem: parsed.error.issues[0]?.message ?? "invalid" });
  }
  if (isLocalEnvironment(env)) return { kind: "local_unset" };
  warnConfigOnce(`${name} is not set: requests that need it are refused (503 control_unavailable)`, {
    secret: name,
    fix: `wrangler secret put ${name} --env production`,
  });
  return { kind: "missing" };
}
