/**
 * `npm run replay:demo`: real wrong drafts through `npm start`'s stack. A few GSM8K questions
 * are sent with cascade on; the GPU simulator answers each tier with its model's recorded answer
 * (Mixtral's for the small tier, GPT-4's for the frontier), so the verifier judges real drafts.
 * Prints per question the `x-cascade` header, which tier answered and whether the served answer
 * is the recorded correct one, then the ledger rows of those requests. See HELP.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { parseCli, usageError } from "./lib/cli";
import { DEFAULT_DATA_DIR, gsm8kRecords } from "./cascade/lib/draft-rows";
import { parseCascade, pickDemoRows, replayJsonl, servedAnswer, servedCorrect, type DemoRow } from "./replay-demo/demo-rows";

const HELP = `Sends a few recorded GSM8K questions (../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv, read at
run time, never copied into the repository) through a running \`npm start\` stack with cascade
on: questions whose recorded small-model (Mixtral) answer is wrong, and some whose small answer
is right. The simulator must replay the recorded answers, so start the stack with the replay
file this command writes:

  npm run replay:demo -- --write-replay .tmp/replay-demo.jsonl
  npm start -- --replay .tmp/replay-demo.jsonl        (or SIMULATOR_REPLAY=.tmp/replay-demo.jsonl npm start)
  npm run replay:demo

It turns cascade on (and PII redaction and injection screening off, so the upstream receives the
recorded prompt verbatim: the simulator replays by exact prompt) for one feature of the dev
tenant, through the admin settings API (PUT /admin/v1/tenants/<dev>/settings?feature=NAME), and
sends every question with that feature and model "auto". Prints, per question: x-cascade and
x-cascade-p-wrong, the tier that answered, whether the served answer is the recorded correct one;
then each request's ledger row (GET /v1/requests/<id>: its cost and its escalated draft's) and
the feature's totals (GET /v1/usage?groupBy=feature,tier).

The shipped verifier and router were trained on these GSM8K rows (docs/router.md): this shows
the path working end to end on real drafts, not held-out accuracy (bench:replay scores that).

Options:
  --write-replay FILE  write the simulator replay file for the chosen questions and exit
  --wrong N            questions whose recorded small answer is wrong (and the frontier's right); default 4
  --right N            questions whose small and frontier answers are both right; default 4
  --feature NAME       the feature the settings and requests use (default replay-demo)
  --data DIR           the routing data folder (default ${DEFAULT_DATA_DIR})
  --help               this text
Environment: GATEWAY_PORT (default 8787); keys from .dev-keys.json (written by npm start).`;

const spec = {
  name: "npm run replay:demo --",
  summary: "Real recorded wrong drafts through the running npm start stack with cascade on.",
  help: HELP,
  options: {
    "write-replay": { type: "string" },
    wrong: { type: "string", default: "4" },
    right: { type: "string", default: "4" },
    feature: { type: "string", default: "replay-demo" },
    data: { type: "string", default: DEFAULT_DATA_DIR },
  },
} as const;

const root = resolve(import.meta.dirname, "..");
const DevKeysSchema = z.object({ tenantId: z.string(), service: z.object({ key: z.string() }), developer: z.object({ key: z.string() }), admin: z.object({ key: z.string() }) });
const ChatSchema = z.object({ model: z.string(), choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1) });
const TraceSchema = z.object({ model: z.string().nullable(), tier: z.string().nullable(), cost: z.object({ usd: z.number(), draftUsd: z.number() }) });
const UsageSchema = z.object({ rows: z.array(z.object({ feature: z.string().nullable().optional(), tier: z.string().optional(), requests: z.number(), inferenceCostUsd: z.number(), draftCostUsd: z.number() })) });

interface Sent {
  row: DemoRow;
  requestId: string;
  cascade: string | null;
  pWrong: string | null;
  model: string;
  served: ReturnType<typeof servedAnswer>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, "content-type": "application/json", ...extra });

async function ok(res: Response, what: string): Promise<unknown> {
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/** The ledger row of one request, once the evaluator has written it (the queue runs a few seconds behind). */
async function ledgerRow(base: string, key: string, requestId: string, timeoutMs = 90_000): Promise<z.infer<typeof TraceSchema> | null> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const res = await fetch(`${base}/v1/requests/${encodeURIComponent(requestId)}`, { headers: bearer(key) });
    if (res.status === 200) return TraceSchema.parse(await res.json());
    await res.body?.cancel();
    await sleep(2_000);
  }
  return null;
}

async function main(): Promise<void> {
  const { values } = parseCli(spec);
  const [wrong, right] = [Number(values.wrong), Number(values.right)];
  if (!Number.isInteger(wrong) || wrong < 0 || !Number.isInteger(right) || right < 0) usageError(spec, "--wrong and --right take whole numbers.");
  const rows = pickDemoRows(gsm8kRecords(values.data), wrong, right);
  if (values["write-replay"]) {
    const out = resolve(root, values["write-replay"]);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, replayJsonl(rows));
    console.log(`wrote ${rows.length * 2} recorded answers (${rows.length} questions, both tiers) to ${out}\nnext: npm start -- --replay ${values["write-replay"]}   then: npm run replay:demo`);
    return;
  }
  const keys = DevKeysSchema.parse(JSON.parse(readFileSync(resolve(root, ".dev-keys.json"), "utf8")));
  const base = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? "8787"}`;
  const feature = values.feature;
  const settings = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, router: { cascade: true } };
  await ok(await fetch(`${base}/admin/v1/tenants/${keys.tenantId}/settings?feature=${encodeURIComponent(feature)}`, { method: "PUT", headers: bearer(keys.admin.key), body: JSON.stringify(settings) }), "PUT settings");
  console.log(`PUT /admin/v1/tenants/${keys.tenantId}/settings?feature=${feature} ${JSON.stringify(settings)}: 200`);
  // The gateway caches settings for a few seconds per isolate (settings-store.ts).
  await sleep(6_000);
  const started = Date.now();
  const sent: Sent[] = [];
  for (const row of rows) {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: bearer(keys.service.key, { "x-feature": feature, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: row.record.prompt }] }),
    });
    const requestId = res.headers.get("x-request-id") ?? "";
    const [cascade, pWrong] = [res.headers.get("x-cascade"), res.headers.get("x-cascade-p-wrong")];
    const body = ChatSchema.parse(await ok(res, `question ${sent.length + 1}`));
    sent.push({ row, requestId, cascade, pWrong, model: body.model, served: servedAnswer(body.choices[0]!.message.content ?? "", row.record) });
  }
  console.log("\n| # | recorded small answer | x-cascade | x-cascade-p-wrong | answered by | served answer | served answer correct |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [i, s] of sent.entries()) {
    const correct = servedCorrect(s.served, s.row.record);
    console.log(`| ${i + 1} | ${s.row.kind === "small wrong" ? "wrong" : "right"} | ${s.cascade ?? "—"} | ${s.pWrong ?? "—"} | ${s.model} | ${s.served === "neither" ? "not a recorded answer (start npm start with --replay)" : `recorded ${s.served} answer`} | ${correct === null ? "—" : correct ? "yes" : "no"} |`);
  }
  const outcome = (kind: DemoRow["kind"], o: "accepted" | "escalated") => sent.filter((s) => s.row.kind === kind && parseCascade(s.cascade).outcome === o).length;
  const count = (kind: DemoRow["kind"]) => sent.filter((s) => s.row.kind === kind).length;
  console.log(`\nWrong drafts escalated: ${outcome("small wrong", "escalated")} of ${count("small wrong")} (served: ${outcome("small wrong", "accepted")}). Right drafts served: ${outcome("small right", "accepted")} of ${count("small right")} (escalated: ${outcome("small right", "escalated")}). Served answers correct: ${sent.filter((s) => servedCorrect(s.served, s.row.record) === true).length} of ${sent.length}.`);

  console.log("\nLedger (GET /v1/requests/<id>, written by the evaluator from the usage queue):\n");
  console.log("| # | request id | model | tier | cost (USD) | escalated draft (USD) |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const [i, s] of sent.entries()) {
    const row = await ledgerRow(base, keys.developer.key, s.requestId);
    console.log(row ? `| ${i + 1} | ${s.requestId} | ${row.model ?? "—"} | ${row.tier ?? "—"} | ${row.cost.usd.toFixed(6)} | ${row.cost.draftUsd.toFixed(6)} |` : `| ${i + 1} | ${s.requestId} | not in the ledger after 90 s | | | |`);
  }
  // Hourly rollups: the feature's totals this hour (earlier runs of the demo in the same hour count too).
  const from = new Date(Math.floor(started / 3_600_000) * 3_600_000).toISOString();
  const usage = UsageSchema.parse(await ok(await fetch(`${base}/v1/usage?groupBy=feature,tier&from=${encodeURIComponent(from)}`, { headers: bearer(keys.developer.key) }), "GET /v1/usage"));
  console.log(`\nGET /v1/usage?groupBy=feature,tier&from=${from} (feature ${feature}; this hour, earlier demo runs included):\n`);
  console.log("| tier | requests | inference cost (USD) | escalated drafts (USD) |");
  console.log("| --- | --- | --- | --- |");
  for (const r of usage.rows.filter((u) => u.feature === feature)) console.log(`| ${r.tier ?? "—"} | ${r.requests} | ${r.inferenceCostUsd.toFixed(6)} | ${r.draftCostUsd.toFixed(6)} |`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
