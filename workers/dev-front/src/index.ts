/**
 * The local dev front (see wrangler.toml): HTTP to the gateway, cron triggers to the evaluator.
 * `curl "http://127.0.0.1:8787/cdn-cgi/handler/scheduled?cron=*%2F5+*+*+*+*"` runs the alert,
 * rollout and audit-anchor crons; `?cron=7+*+*+*+*` the hourly drift.
 */
import type { CronTrigger } from "../../evaluator/src/index";

export interface DevFrontEnv {
  GATEWAY: Fetcher;
  EVALUATOR_CRON: Service<CronTrigger>;
}

export default {
  fetch(request: Request, env: DevFrontEnv): Promise<Response> {
    return env.GATEWAY.fetch(request);
  },

  // Awaited: a failing cron run is a failed trigger (HTTP 500 with the error in the log), not a silent success.
  async scheduled(controller: ScheduledController, env: DevFrontEnv): Promise<void> {
    await env.EVALUATOR_CRON.run(controller.cron, controller.scheduledTime);
  },
} satisfies ExportedHandler<DevFrontEnv>;
