/**
 * bench:soak's traffic: a seeded, weighted mix of what a gateway serves all day. Chat (plain and
 * streamed, tool calls), repeats of earlier prompts (exact-cache hits), embeddings, guardrail
 * checks, and the read calls of a console or a cron (usage, models, budget). Pure: the run
 * turns each planned request into a fetch.
 */
import { mulberry32 } from "../../shared/random";

export const KINDS = ["chat", "stream", "tools", "cache-hit", "embeddings", "guardrails", "usage", "models", "budget"] as const;
export type Kind = (typeof KINDS)[number];

/** Shares of the mix (sum 1). Chat-shaped traffic dominates, as in production. */
export const WEIGHTS: Readonly<Record<Kind, number>> = {
  chat: 0.34,
  stream: 0.2,
  tools: 0.1,
  "cache-hit": 0.15,
  embeddings: 0.05,
  guardrails: 0.05,
  usage: 0.04,
  models: 0.04,
  budget: 0.03,
};

/** Kinds the gateway bills: each such request should become exactly one ledger row. */
export const BILLED: ReadonlySet<Kind> = new Set(["chat", "stream", "tools", "cache-hit", "embeddings"]);

export interface Planned {
  kind: Kind;
  method: "GET" | "POST";
  path: string;
  /** Which of the run's keys sends it. */
  key: "service" | "developer" | "admin";
  body?: unknown;
  headers?: Record<string, string>;
  /** The response is an SSE stream read to `[DONE]`. */
  stream?: boolean;
}

const TOPICS = ["invoice totals", "a packing list", "meeting notes", "a bug report", "release notes", "a travel plan", "a grocery budget", "onboarding steps"];
const ORDER_TOOL = {
  type: "function",
  function: {
    name: "lookup_order",
    description: "Look up an order's status by its number",
    parameters: { type: "object", properties: { order: { type: "string" } }, required: ["order"] },
  },
};
/** Prompts repeated verbatim (no cache-control): after the first, the exact cache answers. */
export const REPEATED = ["What does HTTP status 429 mean?", "Give me one tip for writing clear commit messages.", "Name three primary colours."];

function pick(random: () => number): Kind {
  let r = random();
  for (const kind of KINDS) {
    r -= WEIGHTS[kind];
    if (r < 0) return kind;
  }
  return "chat";
}

/** The i-th request of a run seeded with `seed` (deterministic: same seed, same traffic). */
export function planRequest(i: number, random: () => number, tenantId: string): Planned {
  const kind = pick(random);
  const topic = TOPICS[i % TOPICS.length] as string;
  // Only the repeats may be answered from the cache: everything else is a fresh upstream call.
  const fresh = { "cache-control": "no-cache, no-store" };
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: "auto", max_tokens: 32, messages: [{ role: "user", content }], ...extra });
  switch (kind) {
    case "chat":
      return { kind, method: "POST", path: "/v1/chat/completions", key: "service", headers: fresh, body: chat(`Summarize ${topic} number ${i} in one line.`) };
    case "stream":
      return { kind, method: "POST", path: "/v1/chat/completions", key: "service", headers: fresh, stream: true, body: chat(`Write two sentences about ${topic} (${i}).`, { stream: true, stream_options: { include_usage: true } }) };
    case "tools":
      return { kind, method: "POST", path: "/v1/chat/completions", key: "service", headers: fresh, body: chat(`Where is order ${1000 + i}?`, { tools: [ORDER_TOOL], tool_choice: "auto" }) };
    case "cache-hit":
      return { kind, method: "POST", path: "/v1/chat/completions", key: "service", body: chat(REPEATED[i % REPEATED.length] as string) };
    case "embeddings":
      return { kind, method: "POST", path: "/v1/embeddings", key: "service", body: { model: "auto", input: `${topic} ${i}` } };
    case "guardrails":
      return { kind, method: "POST", path: "/v1/guardrails/check", key: "service", body: { text: `Please email ${topic} to the team by Friday (${i}).`, checks: ["pii", "injection"] } };
    case "usage":
      return { kind, method: "GET", path: "/v1/usage?group_by=model,tier", key: "developer" };
    case "models":
      return { kind, method: "GET", path: "/v1/models", key: "service" };
    case "budget":
      return { kind, method: "GET", path: `/admin/v1/tenants/${tenantId}/budget`, key: "admin" };
  }
}

export function planRun(count: number, seed: number, tenantId: string): Planned[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => planRequest(i, random, tenantId));
}
