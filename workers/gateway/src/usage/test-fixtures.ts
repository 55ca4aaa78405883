/** Populates a test D1 through the real evaluator consumer (the only writer of these tables). */
import { consumeBatch } from "../../../evaluator/src/consume-batch";
import type { ConsumerDeps } from "../../../evaluator/src/process-event";
import { offlineConsumerDeps } from "../../../evaluator/src/testing/consumer-deps";
import { fakeBatch } from "../../../evaluator/src/testing/fake-batch";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";

export async function ingest(db: D1Database, events: UsageEvent[], extra: Partial<ConsumerDeps> = {}): Promise<void> {
  await consumeBatch(fakeBatch(events), offlineConsumerDeps(db, extra));
}
