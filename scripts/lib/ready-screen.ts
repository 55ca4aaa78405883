/**
 * What `npm start` (scripts/start.ts) prints on the console: one line per step, then the ready
 * screen with the URLs and keys last. Pure, so its shape is tested (ready-screen.test.ts):
 * everything the steps and servers print goes to the log file instead, and the whole console
 * output, npm's own header included, fits one 24-line terminal (issue 18's "prints the
 * migration table ~15 times" defect).
 */

/** The steps' titles, in the order they run; each prints as `stepLine(title)` then "done". */
export const START_STEPS = {
  migrations: "Applying D1 migrations (local)",
  seed: "Seeding the dev tenant and keys",
  servers: "Starting the GPU simulator and wrangler dev (gateway + evaluator)",
} as const;

export const stepLine = (title: string): string => `▶ ${title}… `;

/** .dev-keys.json as scripts/seed-dev.ts writes it (only what the screen shows). */
export interface DevKeys {
  tenantId: string;
  service?: { key: string };
  developer?: { key: string };
  admin?: { key: string };
}

export interface ReadyFacts {
  /** Base URLs without a trailing slash, e.g. http://127.0.0.1:8787. */
  gateway: string;
  simulator: string;
  inspector: number;
  /** The log file, as the user should read its name (relative to the repository). */
  logFile: string;
  keys: DevKeys;
}

/** The text start.ts hands to console.log once the stack is up (it begins with a blank line). */
export function readyScreen({ gateway, simulator, inspector, logFile, keys }: ReadyFacts): string {
  return `
✔ Local stack ready. Logs: ${logFile}   Ctrl-C stops everything.

  Gateway (OpenAI base URL)  ${gateway}/v1
  Web console                ${gateway}/console/   (sign in with the developer or admin key below)
  GPU simulator              ${simulator}/v1   (metrics: /metrics)   V8 inspector 127.0.0.1:${inspector}
  Dev tenant ${keys.tenantId} (keys kept in .dev-keys.json, git-ignored):
    service key    ${keys.service?.key}   chat, embeddings
    developer key  ${keys.developer?.key}   + usage, traces, cache
    admin key      ${keys.admin?.key}   /admin/v1

  Try: curl ${gateway}/v1/chat/completions -H "Authorization: Bearer ${keys.developer?.key}" \\
         -H 'content-type: application/json' -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}'
  Crons (evaluator): curl "${gateway}/cdn-cgi/handler/scheduled?cron=*%2F5+*+*+*+*"   (alerts, rollouts, audit anchor; 7+*+*+*+* = drift)`;
}
