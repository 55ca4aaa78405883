/** Populates a test D1 through the real evaluator consumer (the only writer of these tables). */
import { consumeBatch } from "../../../evaluator/src/consume-batch";
import type { ConsumerDeps } from "../../../evaluator/src/process-event";
import { offlineConsumerDeps } from "../../../evaluator/src/testing/consumer-deps";
import { fakeBatch } from "../../../evaluator/src/testing/fake-batch";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { encryptText, type Keyring } from "../../../../shared/crypto/envelope";
import { parseJudges } from "../../../evaluator/src/judge/config";
import { parseJudgePolicy } from "../../../evaluator/src/judge/policy";

export async function ingest(db: D1Database, events: UsageEvent[], extra: Partial<ConsumerDeps> = {}): Promise<void> {
  await consumeBatch(fakeBatch(events), offlineConsumerDeps(db, extra));
}

/** A default deployment's judging: one cheap judge at `judgeUrl` (8 answers a call) on every answer, no cap, no audit sample, content sealed. */
export function judgedDeps(judgeUrl: string, keyring: Keyring, now: number): Partial<ConsumerDeps> {
  return {
    judges: parseJudges(JSON.stringify([{ name: "cheap", baseUrl: `${judgeUrl}/v1`, model: "small-sim", tier: "cheap", batch: 8 }])),
    sampling: { default: 1, rules: [] },
    policy: parseJudgePolicy('{"maxShareOfInference":null,"escalation":{"auditRate":0}}'),
    fetch: (input, init) => fetch(input, init),
    seal: (t) => encryptText(t, keyring),
    now: () => now,
  };
}
