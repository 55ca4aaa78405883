import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keyringFromEnv } from "../shared/crypto/envelope";
import { PiiHashSecretSchema } from "../workers/gateway/src/guardrails/redact/hash-key";
import { devVarsPaths, seedLoopDevVars, wranglerDevArgs } from "./dev-loop";
import { readDevVar } from "./dev-vars";

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "dev-loop-"));
  mkdirSync(join(root, "workers", "evaluator"), { recursive: true });
  return root;
}

describe("npm start's loop seeding", () => {
  it("gives the evaluator the gateway's content keyring and both Workers the simulator's URL", async () => {
    const root = repo();
    const paths = devVarsPaths(root);
    writeFileSync(paths.gateway, 'OPENAI_API_KEY="sk-mine"\n');
    seedLoopDevVars(root, "http://127.0.0.1:18000");
    const keys = readDevVar(paths.gateway, "CONTENT_ENCRYPTION_KEYS");
    expect(keys).toMatch(/^dev1:/);
    expect(readDevVar(paths.evaluator, "CONTENT_ENCRYPTION_KEYS")).toBe(keys);
    expect(readDevVar(paths.evaluator, "CONTENT_ENCRYPTION_ACTIVE_KID")).toBe("dev1");
    await expect(keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: keys })).resolves.toMatchObject({ activeKid: "dev1" });
    expect([readDevVar(paths.gateway, "SIMULATOR_URL"), readDevVar(paths.evaluator, "SIMULATOR_URL")]).toEqual(["http://127.0.0.1:18000", "http://127.0.0.1:18000"]);
    expect(readDevVar(paths.gateway, "OPENAI_API_KEY")).toBe("sk-mine");
    // The hashing keys production requires, random and long enough for PiiHashSecretSchema.
    const piiKey = readDevVar(paths.gateway, "PII_HASH_KEY") ?? "";
    expect(PiiHashSecretSchema.safeParse(piiKey).success).toBe(true);
    expect(readDevVar(paths.gateway, "END_USER_HASH_KEY")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(piiKey).not.toBe(readDevVar(paths.gateway, "END_USER_HASH_KEY"));
  });

  it("keeps the keyring across starts, follows a new simulator port, and replaces a stale evaluator key", () => {
    const root = repo();
    const paths = devVarsPaths(root);
    writeFileSync(paths.evaluator, 'CONTENT_ENCRYPTION_KEYS="old:AAAA"\nAUDIT_CHAIN_KEY="x"\n');
    seedLoopDevVars(root, "http://127.0.0.1:8000");
    const keys = readDevVar(paths.gateway, "CONTENT_ENCRYPTION_KEYS");
    const piiKey = readDevVar(paths.gateway, "PII_HASH_KEY");
    expect(seedLoopDevVars(root, "http://127.0.0.1:9000")).toEqual([]);
    expect(readDevVar(paths.gateway, "PII_HASH_KEY")).toBe(piiKey);
    expect(readDevVar(paths.gateway, "CONTENT_ENCRYPTION_KEYS")).toBe(keys);
    expect(readDevVar(paths.evaluator, "CONTENT_ENCRYPTION_KEYS")).toBe(keys);
    expect(readDevVar(paths.evaluator, "SIMULATOR_URL")).toBe("http://127.0.0.1:9000");
    expect(readFileSync(paths.evaluator, "utf8").match(/SIMULATOR_URL/g)).toHaveLength(1);
    expect(readDevVar(paths.evaluator, "AUDIT_CHAIN_KEY")).toBe("x");
  });

  it("never adds a hashing key the user already set in another dotenv form (review s12-sec finding 9)", () => {
    const root = repo();
    const paths = devVarsPaths(root);
    const mine = "our-team-shared-local-pii-key-9d2f4b6a8c0e";
    const theirs = "our-team-end-user-key-1a3c5e7b9d0f2e4c6a8b";
    writeFileSync(paths.gateway, `export PII_HASH_KEY=${mine}\nEND_USER_HASH_KEY: '${theirs}'\nPII_HASH_KEY_NOTE=kept\n`);
    const notes = seedLoopDevVars(root, "http://127.0.0.1:8000");
    expect(notes.some((n) => n.includes("HASH_KEY"))).toBe(false);
    const text = readFileSync(paths.gateway, "utf8");
    expect(text.match(/PII_HASH_KEY[=:]/g)).toHaveLength(1);
    expect(text.match(/END_USER_HASH_KEY[=:]/g)).toHaveLength(1);
    expect(readDevVar(paths.gateway, "PII_HASH_KEY")).toBe(mine);
    expect(readDevVar(paths.gateway, "END_USER_HASH_KEY")).toBe(theirs);
  });

  it("reads .dev.vars as dotenv does: the last line wins, an unquoted value's comment is dropped", () => {
    const root = repo();
    const paths = devVarsPaths(root);
    writeFileSync(paths.gateway, "SIMULATOR_URL=http://a.test # first\nexport SIMULATOR_URL=http://b.test # second\n");
    expect(readDevVar(paths.gateway, "SIMULATOR_URL")).toBe("http://b.test");
    seedLoopDevVars(root, "http://127.0.0.1:8100");
    expect(readFileSync(paths.gateway, "utf8").match(/SIMULATOR_URL/g)).toHaveLength(2);
    expect(readDevVar(paths.gateway, "SIMULATOR_URL")).toBe("http://127.0.0.1:8100");
  });

  it("runs the dev front first, so cron triggers reach the evaluator", () => {
    expect(wranglerDevArgs()).toEqual(["-c", "workers/dev-front/wrangler.toml", "-c", "wrangler.toml", "-c", "workers/evaluator/wrangler.toml", "--test-scheduled"]);
  });
});
