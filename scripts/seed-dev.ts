/**
 * `npx tsx scripts/seed-dev.ts [--persist-to .wrangler/state]`
 *
 * Run by `npm start` after `wrangler d1 migrations apply DB --local`. Opens the same local D1
 * and KV that `wrangler dev` uses (Miniflare with the same persistence directory and ids as
 * wrangler.toml) and idempotently seeds tenant `ten_dev` with a service, a developer and an admin key.
 * Only hashes live in D1, so the plaintext dev keys are kept in the git-ignored
 * `.dev-keys.json` (mode 0600) and printed again on later starts; a key that was revoked,
 * expired or lost (fresh D1 state) is replaced. It also adds a random content-encryption key to
 * `.dev.vars` if none is configured, so local trace encryption works out of the box, and a
 * random AUDIT_CHAIN_KEY to both Workers' `.dev.vars` (gateway and evaluator must share it),
 * with which the audit rows it writes are keyed too.
 */
import { existsSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Miniflare } from "miniflare";
import { z } from "zod";
import { randomBytes } from "node:crypto";
import { anchorAuditHead } from "../shared/audit/anchor";
import { useAuditChainKey } from "../shared/audit/chain-key";
import { resolveKey, KeyCache } from "../workers/gateway/src/auth/key-lookup";
import { seedTenant } from "../workers/gateway/src/auth/seed-tenant";
import { generateKeySpec } from "../shared/crypto/envelope";
import { addDevVarIfMissing, readDevVar } from "./dev-vars";
import { parseCli } from "./lib/cli";

export { seedTenant } from "../workers/gateway/src/auth/seed-tenant";
export type { SeedTenantInput } from "../workers/gateway/src/auth/seed-tenant";

const DEV_TENANT = "ten_dev";
const D1_ID = "00000000-0000-0000-0000-000000000001";
const KEYS_KV_ID = "local-keys-kv";

const DevKeysSchema = z.object({
  tenantId: z.string(),
  service: z.object({ keyId: z.string(), key: z.string() }).optional(),
  developer: z.object({ keyId: z.string(), key: z.string() }).optional(),
  admin: z.object({ keyId: z.string(), key: z.string() }).optional(),
});
type DevKeys = z.infer<typeof DevKeysSchema>;

// service: chat and embeddings; developer: also usage, traces and the cache (the README's
// examples); admin: /admin/v1 with the operator scopes.
const ROLES_TO_SEED = {
  service: { role: "service", keyName: "dev service key" },
  developer: { role: "developer", keyName: "dev developer key" },
  admin: { role: "admin", keyName: "dev admin key", scopes: ["tenants:manage", "content:read"] },
} as const;

function readDevKeys(path: string): DevKeys {
  if (!existsSync(path)) return { tenantId: DEV_TENANT };
  const parsed = DevKeysSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : { tenantId: DEV_TENANT };
}

async function stillValid(db: D1Database, key: string | undefined): Promise<boolean> {
  if (!key) return false;
  return (await resolveKey(db, key, Date.now(), new KeyCache(0))).ok;
}

export async function seedDev(db: D1Database, devKeysPath: string): Promise<DevKeys> {
  const table = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'api_keys'").first();
  if (!table) throw new Error("local D1 has no api_keys table: run `npx wrangler d1 migrations apply DB --local` first");
  const keys = readDevKeys(devKeysPath);
  for (const [slot, spec] of Object.entries(ROLES_TO_SEED) as [keyof typeof ROLES_TO_SEED, (typeof ROLES_TO_SEED)[keyof typeof ROLES_TO_SEED]][]) {
    if (await stillValid(db, keys[slot]?.key)) continue;
    const seeded = await seedTenant(db, { name: "Local development", tenantId: keys.tenantId, ...spec, scopes: "scopes" in spec ? [...spec.scopes] : [] });
    keys[slot] = { keyId: seeded.keyId, key: seeded.key };
  }
  writeFileSync(devKeysPath, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

function ensureEncryptionKey(devVarsPath: string): boolean {
  const current = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
  if (/^CONTENT_ENCRYPTION_KEYS\s*=/m.test(current)) return false;
  const sep = current === "" || current.endsWith("\n") ? "" : "\n";
  appendFileSync(devVarsPath, `${sep}CONTENT_ENCRYPTION_KEYS="${generateKeySpec("dev1")}"\nCONTENT_ENCRYPTION_ACTIVE_KID="dev1"\n`, { mode: 0o600 });
  return true;
}

/**
 * The local audit chain key: the gateway's `.dev.vars` value (created if absent), copied into
 * the evaluator's `.dev.vars`, whose cron appends and anchors rows of the same chain.
 */
function ensureAuditChainKey(root: string): { key: string; added: boolean } {
  const gatewayVars = join(root, ".dev.vars");
  const added = addDevVarIfMissing(gatewayVars, "AUDIT_CHAIN_KEY", randomBytes(32).toString("base64url"));
  const key = readDevVar(gatewayVars, "AUDIT_CHAIN_KEY") ?? "";
  const evaluatorVars = join(root, "workers", "evaluator", ".dev.vars");
  addDevVarIfMissing(evaluatorVars, "AUDIT_CHAIN_KEY", key);
  if (readDevVar(evaluatorVars, "AUDIT_CHAIN_KEY") !== key) console.warn("  warning: AUDIT_CHAIN_KEY differs between .dev.vars and workers/evaluator/.dev.vars");
  return { key, added };
}

/** Local D1 + KEYS_KV exactly where `wrangler dev` / `wrangler d1 ... --local` keep them. */
export async function openLocalState(persistTo: string): Promise<{ db: D1Database; kv: KVNamespace; dispose: () => Promise<void> }> {
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null, { status: 204 }) } }",
    compatibilityDate: "2026-04-01",
    d1Databases: { DB: D1_ID },
    d1Persist: join(persistTo, "v3", "d1"),
    kvNamespaces: { KEYS_KV: KEYS_KV_ID },
    kvPersist: join(persistTo, "v3", "kv"),
  });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  const kv = (await mf.getKVNamespace("KEYS_KV")) as unknown as KVNamespace;
  return { db, kv, dispose: () => mf.dispose() };
}

export function cliPaths(): { root: string; persist: string } {
  const { values } = parseCli({
    name: "npm run seed:dev --",
    summary: "Seeds tenant ten_dev and its dev keys (service, developer, admin) into the local D1 that wrangler dev uses; keys go to .dev-keys.json.",
    options: {
      "persist-to": { type: "string", default: ".wrangler/state", value: "DIR", description: "wrangler's local state directory" },
      root: { type: "string", default: ".", value: "DIR", description: "repository root (.dev-keys.json and .dev.vars live here)" },
    },
  });
  const root = resolve(values.root ?? ".");
  return { root, persist: resolve(root, values["persist-to"] ?? ".wrangler/state") };
}

async function main(): Promise<void> {
  const { root, persist } = cliPaths();
  const state = await openLocalState(persist);
  try {
    const chainKey = ensureAuditChainKey(root);
    useAuditChainKey(state.db, { AUDIT_CHAIN_KEY: chainKey.key });
    const keys = await seedDev(state.db, join(root, ".dev-keys.json"));
    await anchorAuditHead(state.db, state.kv);
    const addedVars = ensureEncryptionKey(join(root, ".dev.vars"));
    console.log(`Dev tenant ${keys.tenantId} (keys kept in .dev-keys.json, git-ignored):`);
    console.log(`  service key:   ${keys.service?.key}`);
    console.log(`  developer key: ${keys.developer?.key}`);
    console.log(`  admin key:     ${keys.admin?.key}`);
    if (addedVars) console.log("  added a dev CONTENT_ENCRYPTION_KEYS to .dev.vars");
    if (chainKey.added) console.log("  added a dev AUDIT_CHAIN_KEY to .dev.vars and workers/evaluator/.dev.vars");
  } finally {
    await state.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
