/**
 * `npm run audit:verify` against a real local state directory (Miniflare's persisted D1 and KV,
 * as `wrangler dev` keeps them): a malformed row is printed and exits 1, not a crash (exit 2).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../workers/evaluator/src/testing/migrations";
import { useAuditChainKey } from "../shared/audit/chain-key";
import { appendAudit } from "../shared/audit/hash-chain";
import { openLocalState } from "./seed-dev";

const ROOT = resolve(import.meta.dirname, "..");
const AUDIT_CHAIN_KEY = "cli-test-audit-chain-key-5d4c3b2a";
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, AUDIT_CHAIN_KEY } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(ROOT, ".tmp", "audit-verify-"));
  const state = await openLocalState(dir);
  try {
    await applyMigrations(state.db);
    useAuditChainKey(state.db, { AUDIT_CHAIN_KEY });
    for (let i = 1; i <= 3; i++) await appendAudit(state.db, "ten_a", { action: "test.event", detail: { i } }, 1_000 * i);
  } finally {
    await state.dispose();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run audit:verify", () => {
  it("exits 1 and prints the offending row when a row is malformed (keyed rows checked with the key)", async () => {
    const state = await openLocalState(dir);
    try {
      await state.db.prepare("DROP TRIGGER audit_log_no_update").run();
      await state.db.prepare("UPDATE audit_log SET created_at = 'yesterday' WHERE seq = 2").run();
    } finally {
      await state.dispose();
    }
    const r = cli("--persist-to", dir);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; problems: unknown[] };
    expect(report.ok).toBe(false);
    // Only the malformed row: the keyed links of the others verify with the key from the env.
    expect(report.problems).toEqual([expect.objectContaining({ seq: 2, kind: "malformed_row", row: expect.objectContaining({ created_at: "yesterday" }) })]);
  }, 120_000);

  it("prints help with --help and a usage line (exit 2) for an unknown flag", () => {
    const help = cli("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run audit:verify/);
    const bad = cli("--frobnicate");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Usage: npm run audit:verify/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
