/**
 * Consumer dependencies for tests that run the real consumer offline: no judges, no sampling, no
 * network. Tests override what they exercise (judges, policy, clock, seal, concurrency).
 */
import type { ConsumerDeps } from "../process-event";

export function offlineConsumerDeps(db: D1Database, extra: Partial<ConsumerDeps> = {}): ConsumerDeps {
  return {
    db,
    judges: [],
    sampling: { default: 0, rules: [] },
    fetch: () => Promise.reject(new Error("no network in this test")),
    credential: () => undefined,
    concurrency: 4,
    maxJudgeAttempts: 1,
    now: () => Date.now(),
    ...extra,
  };
}
