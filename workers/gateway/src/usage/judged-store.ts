/** Test support: a D1 with tenant `acme` whose `events` went through the real consumer, judged by a loopback judge. */
import { generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { startJudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { ingest, judgedDeps } from "./test-fixtures";

export interface JudgedStore {
  db: D1Database;
  keyring: Keyring;
  close(): Promise<void>;
}

/** The judge scores answers containing "POOR" 2 and others 5; judged at `now` + 1 minute. */
export async function judgedStore(events: UsageEvent[], now: number): Promise<JudgedStore> {
  const d1 = await startD1();
  const keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  const stub = await startJudgeStub((_model, text) => (text.includes("POOR") ? 2 : 5));
  await d1.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('acme', 'acme', ?1)").bind(now).run();
  await ingest(d1.db, events, judgedDeps(stub.url, keyring, now + 60_000));
  return {
    db: d1.db,
    keyring,
    close: async () => {
      await stub.close();
      await d1.dispose();
    },
  };
}
