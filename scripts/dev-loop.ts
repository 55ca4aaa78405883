/**
 * What `npm start` needs for the closed loop (traffic -> judging -> retraining export) to run
 * locally, beyond the dev tenant (seed-dev.ts):
 *   - both Workers share one content keyring: the evaluator seals the redacted exchange with
 *     it, the gateway opens it for GET /v1/requests (content:read) and the retraining export.
 *     Without keys in the evaluator's `.dev.vars` nothing was stored, and the export was empty;
 *   - both Workers reach the simulator npm start runs (SIMULATOR_PORT): the judges and the
 *     model tiers follow SIMULATOR_URL. `wrangler dev --var` only reaches the first Worker of a
 *     multi-config session, so it goes into each Worker's `.dev.vars`;
 *   - the gateway keys its PII `hash` tokens and end-user pseudonyms with Worker secrets
 *     (PII_HASH_KEY, END_USER_HASH_KEY), which production must set: a random local value of each
 *     is made once, so the local stack runs the keyed path as production does;
 *   - crons can be triggered: the session's first Worker is the local dev front
 *     (workers/dev-front), which forwards HTTP to the gateway and scheduled events to the
 *     evaluator, and the session runs with --test-scheduled.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { generateKeySpec } from "../shared/crypto/envelope";
import { addDevVarIfMissing, readDevVar, setDevVar } from "./dev-vars";

/** The wrangler dev session: the dev front first (it alone answers on the port), then the gateway and the evaluator. */
export const DEV_SESSION_CONFIGS = ["workers/dev-front/wrangler.toml", "wrangler.toml", "workers/evaluator/wrangler.toml"] as const;

export function wranglerDevArgs(): string[] {
  return [...DEV_SESSION_CONFIGS.flatMap((c) => ["-c", c]), "--test-scheduled"];
}

export const devVarsPaths = (root: string) => ({ gateway: join(root, ".dev.vars"), evaluator: join(root, "workers", "evaluator", ".dev.vars") });

/**
 * Seeds both Workers' `.dev.vars`: the gateway's content keyring (created if it has none) copied
 * to the evaluator, the gateway's hashing keys (created if missing, then kept: a new one would
 * change every token and pseudonym), and SIMULATOR_URL in both. Returns what it changed, for the log.
 */
export function seedLoopDevVars(root: string, simulatorUrl: string): string[] {
  const paths = devVarsPaths(root);
  const notes: string[] = [];
  if (readDevVar(paths.gateway, "CONTENT_ENCRYPTION_KEYS") === undefined) {
    setDevVar(paths.gateway, "CONTENT_ENCRYPTION_KEYS", generateKeySpec("dev1"));
    setDevVar(paths.gateway, "CONTENT_ENCRYPTION_ACTIVE_KID", "dev1");
    notes.push("added a dev content keyring to .dev.vars");
  }
  for (const name of ["PII_HASH_KEY", "END_USER_HASH_KEY"]) {
    // Only ever added: a value the user set (in any dotenv form) is theirs.
    if (addDevVarIfMissing(paths.gateway, name, randomBytes(32).toString("base64url"))) notes.push(`added a dev ${name} to .dev.vars`);
  }
  for (const name of ["CONTENT_ENCRYPTION_KEYS", "CONTENT_ENCRYPTION_ACTIVE_KID"]) {
    const value = readDevVar(paths.gateway, name);
    if (value !== undefined && setDevVar(paths.evaluator, name, value)) notes.push(`set ${name} in workers/evaluator/.dev.vars (the gateway's)`);
  }
  for (const path of [paths.gateway, paths.evaluator]) setDevVar(path, "SIMULATOR_URL", simulatorUrl);
  return notes;
}
