/**
 * `npm run replay:demo`: real wrong drafts through `npm start`'s stack. A few GSM8K questions
 * are sent with cascade on; the GPU simulator answers each tier with its model's recorded answer
 * (Mixtral's for the small tier, GPT-4's for the frontier), so the verifier judges real drafts.
 * Prints per question the `x-cascade` header, which tier answered and whether the served answer
 * is the recorded correct one, then the ledger rows of those requests. See HELP.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { z } from "zod";
import { parseCli, usageError } from "./lib/cli";
import { DEFAULT_DATA_DIR, gsm8kRecords, type Gsm8kRecord } from "./cascade/lib/draft-rows";
import { DEFAULT_REPLAY_FILE, isUnreachable, leftOnNote, missingDataMessage, noGatewayMessage, parseDevKeys, replayPath } from "./replay-demo/demo-messages";
import { parseCascade, pickDemoRows, replayJsonl, servedAnswer, servedCorrect, type DemoRow } from "./replay-demo/demo-rows";

const HELP = `Sends a few recorded GSM8K questions (../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv, read at
run time, never copied into the repository) through a running \`npm start\` stack with cascade
on: questions whose recorded small-model (Mixtral) answer is wrong, and some whose small answer
is right. The simulator must replay the recorded answers, so start the stack with the replay
file this command writes:

  npm run replay:demo -- --write-replay              (writes ${DEFAULT_REPLAY_FILE})
  npm start -- --replay ${DEFAULT_REPLAY_FILE}        (or SIMULATOR_REPLAY=${DEFAULT_REPLAY_FILE} npm start)
  npm run replay:demo

It turns cascade on (and PII redaction and injection screening off, so the upstream receives the
recorded prompt verbatim: the simulator replays by exact prompt) for one feature of the dev
tenant, through the admin settings API (PUT /admin/v1/tenants/<dev>/settings?feature=NAME), and
sends every question with that feature and model "auto". Prints, per question: x-cascade and
x-cascade-p-wrong, the tier that answered, whether the served answer is the recorded correct one;
then each request's ledger row (GET /v1/requests/<id>: its cost and its escalated draft's) and
the feature's totals (GET /v1/usage?groupBy=feature,tier).

Those settings stay in place afterwards (the demo says so at the end); --restore-after puts an
empty settings layer back for the feature when it is done, --restore does only that.

The shipped verifier and router were trained on these GSM8K rows (docs/router.md): this shows
the path working end to end on real drafts, not held-out accuracy (bench:replay scores that).

Options:
  --write-replay [FILE]  write the simulator replay file for the chosen questions and exit
                       (default ${DEFAULT_REPLAY_FILE}; only a git-ignored path under .tmp/:
                       the file holds the shared data's recorded answers)
  --restore            put the feature's settings back (an empty layer: tenant-wide settings apply) and exit
  --restore-after      run the demo, then restore as --restore does
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
  positionals: "[FILE]",
  options: {
    "write-replay": { type: "boolean", default: false },
    restore: { type: "boolean", default: false },
    "restore-after": { type: "boolean", default: false },
    wrong: { type: "string", default: "4" },
    right: { type: "string", default: "4" },
    feature: { type: "string", default: "replay-demo" },
    data: { type: "string", default: DEFAULT_DATA_DIR },
  },
} as const;

const root = resolve(import.meta.dirname, "..");
const base = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? "8787"}`;
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

/** One line on stderr and exit 1: these are the user's to fix, not the script's (no stack trace). */
function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

function records(dir: string): Gsm8kRecord[] {
  try {
    return gsm8kRecords(dir);
  } catch (err) {
    const detail = err instanceof z.ZodError ? `unexpected columns: ${err.issues[0]?.path.join(".") ?? "?"}` : err instanceof Error ? err.message.split("\n")[0]! : String(err);
    return stop(missingDataMessage(dir, detail));
  }
}

/** `git check-ignore -q`: exit 0 when git ignores the path (it need not exist yet). */
const gitIgnores = (path: string): boolean => spawnSync("git", ["check-ignore", "-q", path], { cwd: root }).status === 0;

async function putFeatureSettings(tenantId: string, adminKey: string, feature: string, settings: object): Promise<void> {
  await ok(await fetch(`${base}/admin/v1/tenants/${tenantId}/settings?feature=${encodeURIComponent(feature)}`, { method: "PUT", headers: bearer(adminKey), body: JSON.stringify(settings) }), "PUT settings");
  console.log(`PUT /admin/v1/tenants/${tenantId}/settings?feature=${feature} ${JSON.stringify(settings)}: 200`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(spec);
  const [wrong, right] = [Number(values.wrong), Number(values.right)];
  if (!Number.isInteger(wrong) || wrong < 0 || !Number.isInteger(right) || right < 0) usageError(spec, "--wrong and --right take whole numbers.");
  if (positionals.length > (values["write-replay"] ? 1 : 0)) usageError(spec, `Unexpected argument '${positionals.at(-1)}' (only --write-replay takes a FILE).`);
  if (values["write-replay"]) {
    const arg = positionals[0] ?? DEFAULT_REPLAY_FILE;
    const where = replayPath(root, arg, gitIgnores);
    if ("message" in where) return stop(where.message);
    const rows = pickDemoRows(records(values.data), wrong, right);
    mkdirSync(dirname(where.path), { recursive: true });
    writeFileSync(where.path, replayJsonl(rows));
    const shown = relative(root, where.path);
    console.log(`wrote ${rows.length * 2} recorded answers (${rows.length} questions, both tiers) to ${shown}\nnext: npm start -- --replay ${shown}   then: npm run replay:demo`);
    return;
  }
  const keysFile = resolve(root, ".dev-keys.json");
  const read = parseDevKeys(existsSync(keysFile) ? readFileSync(keysFile, "utf8") : null, ".dev-keys.json");
  if ("message" in read) return stop(read.message);
  const { keys } = read;
  const feature = values.feature;
  if (values.restore) {
    await putFeatureSettings(keys.tenantId, keys.admin.key, feature, {});
    console.log(`restored: feature ${feature} follows the tenant-wide settings again (PII redaction and injection screening as the tenant has them).`);
    return;
  }
  const rows = pickDemoRows(records(values.data), wrong, right);
  const settings = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, router: { cascade: true } };
  await putFeatureSettings(keys.tenantId, keys.admin.key, feature, settings);
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
  console.log("");
  if (values["restore-after"]) {
    await putFeatureSettings(keys.tenantId, keys.admin.key, feature, {});
    console.log(`restored: feature ${feature} follows the tenant-wide settings again.`);
  } else console.log(leftOnNote(keys.tenantId, feature));
}

main().catch((err: unknown) => {
  if (isUnreachable(err)) stop(noGatewayMessage(base));
  if (err instanceof z.ZodError) stop(`unexpected answer from the gateway at ${base} (${err.issues[0]?.path.join(".") || "body"}: ${err.issues[0]?.message ?? "?"})`);
  stop(err instanceof Error ? err.message.split("\n")[0]! : String(err));
});
