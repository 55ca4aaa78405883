/**
 * Evaluator Worker entry: the usage-queue consumer, the strong-judge escalation consumer and
 * the cron jobs. Evaluation runs here, off the request path; the gateway only publishes events.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { consumeBatch } from "./consume-batch";
import { depsFromEnv } from "./deps-from-env";
import type { EvaluatorEnv } from "./env";
import { consumeEscalations, ESCALATION_QUEUE } from "./judge/escalation";
import { exportEvaluations, exportRescores } from "./otel/evaluation-spans";
import { runScheduled } from "./scheduled";

export default {
  async queue(batch: MessageBatch<unknown>, env: EvaluatorEnv, ctx: ExecutionContext): Promise<void> {
    const deps = await depsFromEnv(env);
    const notExported = (err: unknown) => console.warn(JSON.stringify({ msg: "evaluation spans not exported", error: err instanceof Error ? err.name : "unknown" }));
    // Tracing (off without an OTLP endpoint): the committed evaluations, and the strong judges'
    // re-scores, join their requests' traces.
    if (batch.queue === ESCALATION_QUEUE) {
      const { rescored, ...counts } = await consumeEscalations(batch, deps);
      console.log(JSON.stringify({ msg: "usage batch", queue: batch.queue, size: batch.messages.length, ...counts, rescored: rescored.length }));
      ctx.waitUntil(exportRescores(env.DB, env, rescored).catch(notExported));
      return;
    }
    const summary = await consumeBatch(batch, deps);
    console.log(JSON.stringify({ msg: "usage batch", queue: batch.queue, size: batch.messages.length, ...summary }));
    ctx.waitUntil(exportEvaluations(env.DB, env, batch.messages).catch(notExported));
  },

  // Awaited rather than waitUntil: a failed run then shows as a failed cron invocation.
  async scheduled(controller: ScheduledController, env: EvaluatorEnv): Promise<void> {
    await runScheduled(controller.cron, controller.scheduledTime, env);
  },
} satisfies ExportedHandler<EvaluatorEnv>;

/**
 * The cron jobs over RPC, for local development only: under `wrangler dev` with several
 * configs only the first Worker answers /cdn-cgi/handler/scheduled, so the local dev front
 * (workers/dev-front) forwards scheduled events here through a service binding. Nothing in
 * production binds this entrypoint, and a named entrypoint has no public URL.
 */
export class CronTrigger extends WorkerEntrypoint<EvaluatorEnv> {
  async run(cron: string, scheduledTime: number): Promise<{ cron: string; ok: true }> {
    await runScheduled(cron, scheduledTime, this.env);
    return { cron, ok: true };
  }
}
