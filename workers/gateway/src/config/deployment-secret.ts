/**
 * Reading a keying secret (PII_HASH_KEY, END_USER_HASH_KEY) from the Worker environment, and
 * deciding what its absence means. Only local stacks and tests (ENVIRONMENT local or test) may
 * run without one: callers then derive from a public label, which still separates tenants, and
 * that is logged once per isolate. Anywhere else (production, staging, dev, or ENVIRONMENT unset)
 * a missing or unusable secret is `missing`, and callers fail closed instead of falling back to
 * a key anyone could recompute. "dev" is deliberately not local: it is a common name for a
 * deployed environment.
 */
import type { z } from "zod";
import { warnConfigOnce } from "../../../../shared/config-warning";

export type SecretState = { kind: "set"; value: string } | { kind: "local_unset" } | { kind: "missing" };

/** One keying secret: its variable, what a usable value is, its public local label, its 503 code. */
export interface SecretSpec {
  name: string;
  /** A usable value (a minimum length: a short key would be a guessable one). */
  schema: z.ZodType<string>;
  /** What local stacks key from without the secret: public, so never accepted as the secret. */
  publicLabel: string;
  /** The error code a request gets when it needs the secret and there is none. */
  errorCode: string;
}

const LOCAL_ENVIRONMENTS: ReadonlySet<string> = new Set(["local", "test"]);

export const isLocalEnvironment = (env: object): boolean => {
  const name = (env as Record<string, unknown>).ENVIRONMENT;
  return typeof name === "string" && LOCAL_ENVIRONMENTS.has(name);
};

function problemOf(raw: unknown, spec: SecretSpec): string | null {
  if (raw === spec.publicLabel) return "it is the public local label, which anyone can read in the source";
  const parsed = spec.schema.safeParse(raw);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "invalid");
}

/** The secret's state here; each misconfiguration is logged once per isolate (never the value). */
export function secretState(env: object, spec: SecretSpec): SecretState {
  const { name } = spec;
  const raw = (env as Record<string, unknown>)[name];
  const local = isLocalEnvironment(env);
  const fix = `openssl rand -base64 32 | npx wrangler secret put ${name} --env production`;
  if (raw !== undefined && raw !== "") {
    const problem = problemOf(raw, spec);
    if (problem === null && typeof raw === "string") return { kind: "set", value: raw };
    if (!local) {
      warnConfigOnce(`${name} is set but unusable: requests that need it are refused (503 ${spec.errorCode})`, { secret: name, problem: problem ?? "invalid", fix });
      return { kind: "missing" };
    }
    warnConfigOnce(`${name} is set but unusable, so this local stack keys from a public label instead`, { secret: name, problem: problem ?? "invalid" });
    return { kind: "local_unset" };
  }
  if (local) {
    warnConfigOnce(`${name} is not set: this local stack (ENVIRONMENT local/test) keys from a public label anyone can recompute`, { secret: name });
    return { kind: "local_unset" };
  }
  warnConfigOnce(`${name} is not set: requests that need it are refused (503 ${spec.errorCode})`, { secret: name, fix });
  return { kind: "missing" };
}
