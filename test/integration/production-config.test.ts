import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../harness/build-workers";

const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

function dryRun(args: string[]): string {
  return execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", ...args], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("production configuration", () => {
  it("builds the gateway for [env.production] with real bindings, Workers AI and Vectorize", () => {
    const out = dryRun(["--env", "production", "--outdir", join(ROOT, ".tmp/build/production-gateway")]);
    for (const binding of ["env.DB", "env.CACHE_KV", "env.KEYS_KV", "env.USAGE_QUEUE", "env.AI", "env.VECTORIZE", "env.CIRCUIT_BREAKER"]) {
      expect(out).toContain(binding);
    }
    expect(out).toContain('env.MODEL_REGISTRY ("production")');
    expect(out).not.toMatch(/API_KEY \("/); // secrets are never vars
  });
});
