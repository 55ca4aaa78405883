/**
 * Usage events for bench:evaluator: a production-like mix (60% small tier, 30% frontier, 10%
 * cache hits that are never judged), five tenants, three features, and a different exchange
 * per event (the simulator's judge answers are a function of the prompt, so identical events
 * would all get the same verdict). Deterministic for a seed. Sentences are the bench's own.
 */
import type { UsageEvent } from "../../shared/schemas/usage-event";
import { usageEvent } from "../../workers/evaluator/src/testing/events";

const TOPICS = ["the refund window", "a delayed parcel", "resetting a password", "the annual plan", "an invoice address", "two-factor codes", "a damaged item", "the API rate limit"];
const ASKS = ["How do I handle", "What is the policy on", "Can you explain", "Summarise what we know about", "Write a short note about"];
const FACTS = ["Refunds are accepted within 30 days of delivery.", "Parcels delayed by more than a week are refunded.", "Passwords are reset from the sign-in page.", "The annual plan renews on the first day of the month.", "Invoices use the billing address on file."];
const ANSWERS = [
  "You can ask for a refund within 30 days of delivery from the orders page.",
  "The parcel is late; if it is more than a week late we refund it in full.",
  "Use the reset link on the sign-in page; it expires after one hour.",
  "The plan renews on the first of the month and can be cancelled before then.",
  "I am not sure, but it might depend on your region.",
  "Here is a summary: the policy applies to every order placed online.",
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export interface TrafficOptions {
  prefix: string;
  seed: number;
}

/** The i-th event of a run; `completedAt` is when the gateway finished it (the lag's origin). */
export function benchEvent(i: number, completedAt: number, o: TrafficOptions): UsageEvent {
  const r = rng(o.seed * 1_000_003 + i);
  const kind = r();
  const tier = kind < 0.6 ? "small" : kind < 0.9 ? "frontier" : "cache";
  const topic = pick(r, TOPICS);
  const question = `${pick(r, ASKS)} ${topic}? (ticket ${i})`;
  const response = `${pick(r, ANSWERS)} ${pick(r, ANSWERS)}`;
  const input = 200 + Math.floor(r() * 600);
  const output = 80 + Math.floor(r() * 300);
  const model = tier === "frontier" ? "frontier-sim" : "small-sim";
  return usageEvent({
    requestId: `${o.prefix}-${i}`,
    tenantId: `${o.prefix}-t${Math.floor(r() * 5)}`,
    feature: pick(r, ["support", "search", "drafts"]),
    completedAt,
    receivedAt: completedAt - 400,
    model,
    tier: tier === "cache" ? "small" : tier,
    cache: tier === "cache" ? "hit-exact" : "miss",
    usage: { input: { total: input, cached: 0 }, output: { total: output, reasoning: 0 }, source: "upstream" },
    decisions: { route: { tier: tier === "frontier" ? "frontier" : "small", complexity: Math.round(r() * 100) / 100, intent: "factual_qa" }, cache: { status: tier === "cache" ? "hit-exact" : "miss" } },
    content: { messages: [{ role: "system", content: `Context: ${pick(r, FACTS)}` }, { role: "user", content: question }], response },
  });
}

/** Whether the evaluator may judge this event (chat, 2xx, not a cache hit, with content). */
export const judgeable = (e: UsageEvent): boolean => e.kind === "chat" && e.status < 400 && e.cache === "miss" && e.content !== undefined;

/** Events packed into queue messages as the gateway sends them ({pack: 1, events}). */
export function packs(events: readonly UsageEvent[], perPack: number, idPrefix: string): { id: string; body: unknown }[] {
  const out: { id: string; body: unknown }[] = [];
  for (let i = 0; i < events.length; i += perPack) out.push({ id: `${idPrefix}-${i}`, body: { pack: 1, events: events.slice(i, i + perPack) } });
  return out;
}
