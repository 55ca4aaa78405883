/** bench:faults' report: docs/benchmarks/faults.md (assembled into docs/benchmarks.md by bench:report). */
import { ISSUE_18_TARGET } from "./scenarios";
import type { ScenarioResult, Summary } from "./summary";
import { summarize } from "./summary";

export interface RunInfo {
  command: string;
  machine: string;
  simulator: string;
  startedAt: Date;
  wallSeconds: number;
}

const pct = (x: number, digits = 1) => (Number.isNaN(x) ? "n/a" : `${(100 * x).toFixed(digits)}%`);
const ms = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(0));

function verdict(s: Summary, r: ScenarioResult): string {
  const target = r.scenario.target.sampled ? `${pct(r.scenario.target.success, 1)} − 3σ = ${pct(s.bar, 1)}` : pct(r.scenario.target.success, 1);
  // Two decimals under a tenth of a point: "missed by 0.0 points" reads as met.
  return s.met ? `≥ ${target}: **met**` : `≥ ${target}: **missed by ${s.missByPoints.toFixed(s.missByPoints < 0.1 ? 2 : 1)} points**`;
}

function transitionsText(r: ScenarioResult): string {
  if (r.transitions.length === 0) return "none";
  return r.transitions.map((t) => `${t.model} ${t.from}→${t.to} at ${((t.at - r.startedAt) / 1000).toFixed(1)} s (${t.reason})`).join("; ");
}

function row(r: ScenarioResult, s: Summary): string {
  const served = Object.entries(s.servedBy).sort().map(([tier, share]) => `${tier} ${pct(share, 0)}`).join(", ") || "—";
  const ledger = `${r.ledger.rows} / ${s.requests}${s.ledgerMatches ? "" : ` (missing ${r.ledger.missing}, extra ${r.ledger.extra})`}`;
  const resumed = r.continuations ? ` (${r.continuations} continuations)` : "";
  const billed = `${r.ledger.billedComplete} / ${r.upstreamAnswers}${resumed}${s.billedOnce ? "" : " ✗"}`;
  return `| ${r.scenario.title} | ${s.requests} | ${pct(s.success, 2)} (${verdict(s, r)}) | ${pct(s.wholeSuccess)} / ${pct(s.streamedSuccess)} | ${ms(s.p50Ms)} / ${ms(s.p99Ms)} | ${served} | ${s.meanAnsweringCall.toFixed(2)} | ${ledger} | ${billed} |`;
}

function details(r: ScenarioResult, s: Summary): string {
  const failures = Object.entries(s.failures).map(([why, n]) => `${n}× ${why}`).join(", ") || "none";
  const statuses = Object.entries(r.ledger.byStatus).sort().map(([k, n]) => `${k}: ${n}`).join(", ");
  return `- **${r.scenario.id}** — target ${r.scenario.target.why}. Failures seen by clients: ${failures}. Ledger statuses: ${statuses}. Breaker transitions: ${transitionsText(r)}. Run time ${(r.wallMs / 1000).toFixed(1)} s.`;
}

/** Issue 18's fault run as one number: the small-tier scenarios together, whole and streamed apart. */
function overall(results: ScenarioResult[]): string {
  const sent = results.filter((r) => r.scenario.target === ISSUE_18_TARGET).flatMap((r) => r.sent);
  if (sent.length === 0) return "";
  const part = (xs: typeof sent) => `${xs.filter((x) => x.ok).length} of ${xs.length} (${pct(xs.filter((x) => x.ok).length / Math.max(1, xs.length), 2)})`;
  const ok = sent.filter((x) => x.ok).length / sent.length;
  const miss = 100 * (0.999 - ok);
  const target = ok >= 0.999 ? "≥ 99.9%: **met**" : `≥ 99.9%: **missed by ${miss.toFixed(miss < 0.1 ? 2 : 1)} points**`;
  return `Small-tier fault scenarios together (every row with the 99.9% target): ${part(sent)} succeeded (${target}); non-streamed ${part(sent.filter((x) => !x.streamed))}, streamed ${part(sent.filter((x) => x.streamed))}.`;
}

export function renderReport(results: ScenarioResult[], info: RunInfo, why: string): string {
  const summaries = results.map((r) => [r, summarize(r)] as const);
  return `# Fault injection (\`npm run bench:faults\`)

Command: \`${info.command}\` (${info.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, ${info.wallSeconds.toFixed(0)} s in all).
Machine: ${info.machine}. The gateway and the evaluator run in workerd through Miniflare's API (the stack \`npm start\` runs, without the \`wrangler dev\` proxy); the load generator and the simulator run in this Node process on the same cores.
Simulator: ${info.simulator}. Faults are set through \`POST /_sim/faults\` before each scenario (rates drawn in sequence: a hang or a drop applies to the requests the error rate spared). Every request is a fresh tenant-scoped chat call with \`Cache-Control: no-cache, no-store\` and \`max_tokens: 24\`; every second one is streamed; each scenario has its own tenant, so its ledger rows are counted apart, and that tenant's router starts every \`auto\` request on the small tier (one band below 0.99, no confidence escalation): the subject is retries, fallback and the breaker when the small tier fails, so the default router's choice of tier must not decide whether a request meets the fault at all. The judge panel runs on a second, fault-free simulator so judge calls do not mix with the measured traffic. Scenarios run back to back in the order below; a circuit breaker's 10 s window can carry a scenario's last outcomes into the next one's first seconds.

Success = the client got a whole answer: a 200 JSON body with a choice, or a stream that reached \`[DONE]\` without an error event. p50/p99 are client-side, to the last byte. "Answering call" is \`x-upstream-attempt\`: 1 = the first upstream call answered (it is sent with the stream's headers, so a resumed stream's later calls are not in it). "Ledger rows" are the evaluator's \`usage_ledger\` rows of the scenario's tenant against the requests sent (every client request id must have exactly one). "Billed complete / upstream complete" compares the rows billed as complete answers (status 200) with the complete answers the simulator sent (vLLM's \`request_success_total\`): equal means no answer was billed twice and none went unbilled. A stream the gateway resumed (README, "Cut streams are resumed") is one complete answer on both sides: its one ledger row bills the cut calls and the continuation together, and upstream only the continuation that finished it completed (the cut calls never did); the continuations are shown in brackets (the simulator's \`sim:continuations_total\`, counted within \`request_success_total\`).

| scenario | requests | success (target) | whole / streamed success | p50 / p99 ms | served by | mean answering call | ledger rows / requests | billed complete / upstream complete |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${summaries.map(([r, s]) => row(r, s)).join("\n")}

${overall(results)}

${summaries.map(([r, s]) => details(r, s)).join("\n")}

${why}
`;
}
