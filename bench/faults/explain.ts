/** bench:faults' reading of its own numbers: what each miss comes from, computed from the run. */
import { summarize, type ScenarioResult } from "./summary";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Cut streams: how many the gateway resumed (the simulator's continuations) and how many still
 * ended with `stream_interrupted`. The first scenario with either gets the full reason; later
 * ones refer back to it.
 */
function streamCuts(r: ScenarioResult, explainedIn: string | null): string | null {
  const cut = r.sent.filter((s) => !s.ok && s.streamed && s.failure === "stream_interrupted").length;
  if (cut === 0 && r.continuations === 0) return null;
  const streamed = r.sent.filter((s) => s.streamed).length;
  const whole = r.sent.filter((s) => !s.streamed);
  const wholeOk = whole.filter((s) => s.ok).length;
  const head = `**${r.scenario.id}**: ${r.continuations} continuations answered (cut streams resumed); ${cut} of ${streamed} streamed requests ended with \`stream_interrupted\``;
  const tail = `Non-streamed requests hit by the same fault are cut before anything reaches the client, so they are retried: ${wholeOk} of ${whole.length} succeeded.`;
  if (explainedIn) return `${head}, for the reasons given under ${explainedIn}. ${tail}`;
  return `${head}. The simulator cuts a stream after about half of its content; the gateway cannot restart it elsewhere (the client already holds part of the answer), so it asks small-sim to continue the text already relayed (vLLM's \`continue_final_message\`; README, "Cut streams are resumed") and relays the continuation in the same stream. The faults apply to continuations too: a stream gets up to 3 resume rounds in all (small-sim's maxRetries + 1), each with the usual retries before its first chunk. A stream still ends with \`stream_interrupted\` (booked 502, billed for what was relayed and the calls made, a failure for the breaker) when all 3 rounds were cut or failed, or when the text relayed had already used the request's whole \`max_tokens\`. ${tail}`;
}

function slowTail(r: ScenarioResult): string | null {
  const s = summarize(r);
  const timeouts = r.sent.filter((x) => x.latencyMs >= 10_000).length;
  if (timeouts === 0) return null;
  return `**${r.scenario.id}**: p99 ${s.p99Ms.toFixed(0)} ms. ${timeouts} requests took over 10 s: a hung call holds its request until small-sim's first-byte limit (10 s, \`timeouts.firstByteMs\` in the registry) runs out, then the retry answers. The success rate is unaffected; the tail is the timeout. A lower first-byte limit, or hedging (a second call after a delay), would cut it; neither is in this build.`;
}

function expectation(r: ScenarioResult): string | null {
  const s = summarize(r);
  if (r.scenario.id === "all-tiers") {
    const opened = r.transitions.filter((t) => t.to === "open");
    const breaker = opened.length
      ? `the circuit opened ${opened.length} time(s) (${opened.map((t) => `${t.model} at ${((t.at - r.startedAt) / 1000).toFixed(1)} s: ${t.reason}`).join("; ")}); while open, that model is tried once, after the other tier's three calls failed`
      : "the circuits stayed closed: 12.5% of requests failing on a model is far under the 50% that opens one";
    return `**all-tiers**: ${pct(s.success)} against an expected ${pct(1 - 0.125 ** 2)} (a tier fails a request only when all 3 of its calls fail, 12.5%, and both tiers must fail); ${breaker}.`;
  }
  if (r.scenario.id === "explicit") {
    return `**explicit**: ${pct(s.success)} against ${pct(1 - 0.5 ** 3)} for three calls at 50% (retries alone; an explicit model does not leave its tier). Before this change the breaker opened after 5 failed calls and this setup answered 11%.`;
  }
  return null;
}

export function explainMisses(results: ScenarioResult[]): string {
  let cutsExplainedIn: string | null = null;
  const notes = results.flatMap((r) => {
    const cuts = streamCuts(r, cutsExplainedIn);
    if (cuts) cutsExplainedIn ??= `**${r.scenario.id}**`;
    return [cuts, slowTail(r), expectation(r)].filter((x): x is string => x !== null);
  });
  const clean = results.filter((r) => r.sent.length > 0 && r.sent.every((x) => x.ok)).map((r) => r.sent.length);
  if (clean.length) {
    const n = Math.min(...clean);
    notes.push(
      `A scenario with no failure shows 100%, but cannot by itself prove ≥ 99.9%: with 0 failures in n requests the 95% upper bound of the failure rate is about 3/n (${pct(3 / n)} for the smallest such scenario here, n = ${n}). Run with \`--requests 3000 --seconds 300 --only errors\` for a tighter bound.`,
    );
  }
  return `## Reading the numbers\n\n${notes.map((n) => `- ${n}`).join("\n")}`;
}
