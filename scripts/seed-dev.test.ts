/** `npm start`'s seeding: the dev tenant gets a service, a developer and an admin key, idempotently. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../workers/evaluator/src/testing/migrations";
import { KeyCache, resolveKey } from "../workers/gateway/src/auth/key-lookup";
import { openLocalState, seedDev } from "./seed-dev";

const ROOT = resolve(import.meta.dirname, "..");
let dir: string;
let state: Awaited<ReturnType<typeof openLocalState>>;

beforeAll(async () => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(ROOT, ".tmp", "seed-dev-"));
  state = await openLocalState(join(dir, "state"));
  await applyMigrations(state.db);
});
afterAll(async () => {
  await state?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const roleOf = async (key: string | undefined) => {
  const r = await resolveKey(state.db, key ?? "", Date.now(), new KeyCache(0));
  return r.ok ? r.key.auth.role : null;
};

describe("seedDev", () => {
  it("seeds a service, a developer and an admin key for ten_dev, and keeps them on the next start", async () => {
    const path = join(dir, ".dev-keys.json");
    const keys = await seedDev(state.db, path);
    expect(keys.tenantId).toBe("ten_dev");
    expect(await roleOf(keys.service?.key)).toBe("service");
    expect(await roleOf(keys.developer?.key)).toBe("developer");
    expect(await roleOf(keys.admin?.key)).toBe("admin");
    expect(await seedDev(state.db, path)).toEqual(keys);
  });

  it("adds the developer key to a keys file written before there was one, keeping the others", async () => {
    const path = join(dir, "old-keys.json");
    const first = await seedDev(state.db, path);
    writeFileSync(path, JSON.stringify({ tenantId: first.tenantId, service: first.service, admin: first.admin }));
    const again = await seedDev(state.db, path);
    expect(again.service).toEqual(first.service);
    expect(again.admin).toEqual(first.admin);
    expect(await roleOf(again.developer?.key)).toBe("developer");
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(again);
  });
});
