/**
 * Evaluator Worker entry: the usage-queue consumer and the cron jobs. Evaluation runs here,
 * off the request path; the gateway only publishes events.
 */
import { consumeBatch } from "./consume-batch";
import { depsFromEnv } from "./deps-from-env";
import type { EvaluatorEnv } from "./env";
import { runScheduled } from "./scheduled";

export default {
  async queue(batch: MessageBatch<unknown>, env: EvaluatorEnv): Promise<void> {
    const summary = await consumeBatch(batch, await depsFromEnv(env));
    console.log(JSON.stringify({ msg: "usage batch", queue: batch.queue, size: batch.messages.length, ...summary }));
  },

  // Awaited rather than waitUntil: a failed run then shows as a failed cron invocation.
  async scheduled(controller: ScheduledController, env: EvaluatorEnv): Promise<void> {
    await runScheduled(controller.cron, controller.scheduledTime, env);
  },
} satisfies ExportedHandler<EvaluatorEnv>;
