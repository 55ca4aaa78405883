/**
 * Guardrails benchmark: PII precision/recall on pii-synthetic-nano, jailbreak true-positive
 * rate, NotInject false-positive rate, and redaction+screening latency on a ~1,000-token
 * prompt. Data is read from ../shared/data (never copied into the repo).
 * Run: npm run bench:guardrails [-- --data /work/shared/data]
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parse } from "csv-parse/sync";
import { detectPii } from "../workers/gateway/src/guardrails/pii/detect";
import { DEFAULT_THRESHOLD, scoreText, screenInjection } from "../workers/gateway/src/guardrails/injection/screen";
import { redactChatRequest } from "../workers/gateway/src/guardrails/redact/redact-request";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../workers/gateway/src/guardrails/settings";
import type { PiiEntityType } from "../workers/gateway/src/guardrails/types";
import type { ChatCompletionRequest } from "../shared/schemas/openai-chat";
import { countTokens } from "../shared/tokens";
import { projectChatRequest } from "../shared/schemas/openai-chat-fields";
import { mapJsonTree } from "../workers/gateway/src/guardrails/json-tree";
import { redactJsonText } from "../workers/gateway/src/guardrails/redact/redact-json";
import { redactText } from "../workers/gateway/src/guardrails/redact/redact-text";
import { PiiVault } from "../workers/gateway/src/guardrails/redact/vault";
import { syntheticRecall } from "./guardrails-synthetic";
import { benchPhoneLabels } from "./guardrails-phone-cost";
import { loadTagger } from "../workers/gateway/src/guardrails/pii/tagger/load";
import { tagText } from "../workers/gateway/src/guardrails/pii/tagger/tag";
import { parseCli } from "../scripts/lib/cli";
import { testHashKey } from "../workers/gateway/src/guardrails/testing/hash-key";

const benchHashKey = testHashKey("ten_bench");

const { values } = parseCli({
  name: "npm run bench:guardrails --",
  summary: "PII and injection detection quality and latency on the shared sets; writes docs/benchmarks/guardrails.md. Runs for minutes.",
  options: { data: { type: "string", default: new URL("../../shared/data", import.meta.url).pathname, value: "DIR", description: "shared data directory" } },
});
const DATA = values.data;
const load = <T>(p: string): T => JSON.parse(readFileSync(`${DATA}/${p}`, "utf8")) as T;

// Dataset labels are not normalised; map them onto Presidio-style names. Unlisted labels
// (PATIENT_ID, TAX_ID, TITLE, ...) are out of scope: predictions overlapping them are ignored.
const LABELS: Record<string, PiiEntityType> = {
  PERSON: "PERSON", SSN: "US_SSN", CREDIT_CARD: "CREDIT_CARD", ORG: "ORGANIZATION", ORGANIZATION: "ORGANIZATION", BANK: "ORGANIZATION",
  IBAN: "IBAN_CODE", PASSPORT: "US_PASSPORT", PASSPORT_NUM: "US_PASSPORT", EMAIL: "EMAIL_ADDRESS", PASSWORD: "SECRET",
  DRIVER_LICENSE: "US_DRIVER_LICENSE", DRIVER_LICENSE_NUM: "US_DRIVER_LICENSE", DRIVERS_LICENSE: "US_DRIVER_LICENSE", LICENSE: "US_DRIVER_LICENSE",
  ROUTING_NUMBER: "ABA_ROUTING_NUMBER", BANK_ACCOUNT: "US_BANK_NUMBER", BANK_ACCOUNT_NUM: "US_BANK_NUMBER", ACCOUNT: "US_BANK_NUMBER",
  ACCOUNT_NUM: "US_BANK_NUMBER", ACCOUNT_NUMBER: "US_BANK_NUMBER", PHONE: "PHONE_NUMBER",
};

interface Row { text: string; NER: Array<{ entity: string; label: string }> }
type Tally = { tp: number; fp: number; fn: number };

function benchPii(): { per: Map<string, Tally>; all: Tally } {
  const per = new Map<string, Tally>();
  const t = (k: string): Tally => per.get(k) ?? (per.set(k, { tp: 0, fp: 0, fn: 0 }), per.get(k) as Tally);
  for (const row of load<Row[]>("pii-synthetic-nano/pii_syn_nano_en.json")) {
    const gold = row.NER.flatMap((n) => {
      const start = row.text.indexOf(n.entity);
      return start < 0 || !n.entity ? [] : [{ type: LABELS[n.label] ?? null, start, end: start + n.entity.length, used: false }];
    });
    for (const p of detectPii(row.text)) {
      const hit = gold.find((g) => g.type === p.type && !g.used && p.start < g.end && g.start < p.end);
      if (hit) {
        hit.used = true;
        t(p.type).tp++;
      } else if (!gold.some((g) => g.type === null && p.start < g.end && g.start < p.end)) t(p.type).fp++;
    }
    for (const g of gold) if (g.type && !g.used) t(g.type).fn++;
  }
  const all = { tp: 0, fp: 0, fn: 0 };
  for (const v of per.values()) (all.tp += v.tp), (all.fp += v.fp), (all.fn += v.fn);
  return { per, all };
}

function benchInjection(): { tpr: number; fpr: number; generalFpr: number; n: [number, number, number] } {
  const jb = load<string[]>("jailbreak-dev/jailbreak_dev.json");
  const ni = load<Array<{ prompt: string }>>("notinject-dev/NotInject_one.json");
  // Ordinary sentences (first column of STS-B) as a second, non-adversarial benign set.
  const general = readFileSync(`${DATA}/stsb-en-dev/stsb-en-dev.csv`, "utf8").split("\n").filter(Boolean).map((l) => l.split(",")[0] ?? "");
  const tp = jb.filter((s) => scoreText(s).label === "injection").length;
  const fp = ni.filter((s) => scoreText(s.prompt).label === "injection").length;
  const gfp = general.filter((s) => scoreText(s).label === "injection").length;
  return { tpr: tp / jb.length, fpr: fp / ni.length, generalFpr: gfp / general.length, n: [jb.length, ni.length, general.length] };
}

/**
 * Ordinary task prompts we ship ourselves (the router's corpus, held-out split and eval sample:
 * 12 intents, en/es/fr/de, many with output constraints such as "cite no sources you cannot
 * verify"). Not adversarial at all, so every flag here is a request the gateway would wrongly block.
 */
function benchRouterPrompts(): { flagged: number; n: number; per: Array<[string, number, number]> } {
  const root = new URL("../data/router/", import.meta.url).pathname;
  const jsonl = (f: string): string[] =>
    readFileSync(`${root}${f}`, "utf8").split("\n").filter((l) => l.trim()).map((l) => (JSON.parse(l) as { prompt: string }).prompt);
  const csv = (parse(readFileSync(`${root}eval-sample.csv`, "utf8"), { columns: true }) as Array<{ prompt: string }>).map((r) => r.prompt);
  const per: Array<[string, number, number]> = [];
  for (const [name, prompts] of [["corpus.jsonl", jsonl("corpus.jsonl")], ["heldout.jsonl", jsonl("heldout.jsonl")], ["eval-sample.csv", csv]] as const) {
    per.push([name, prompts.filter((p) => scoreText(p).label === "injection").length, prompts.length]);
  }
  return { flagged: per.reduce((a, p) => a + p[1], 0), n: per.reduce((a, p) => a + p[2], 0), per };
}

function prompt1k(): ChatCompletionRequest {
  const para =
    "Hi, I'm Maria Lopez from Acme Bank. Please summarise the attached incident notes for the audit committee and keep a neutral tone. " +
    "The customer can be reached at maria.lopez@example.com or +1 415 555 0132; card 4539 1488 0343 6467 was used from 203.0.113.7. " +
    "We reviewed the deployment logs, the change tickets and the on-call timeline, and found that the retry storm started after the cache was flushed. ";
  return { model: "m", messages: [{ role: "system", content: "You are a concise assistant." }, { role: "user", content: para.repeat(10) }] };
}

interface Latency { p50: number; p99: number; cpuP50: number; taggerCpuP50: number; screenCpuP50: number; chars: number; tokens: number }

/** Wall time and this process's CPU time per call: on a shared machine the CPU time is the stable one. */
function benchLatency(iterations = 500): Latency {
  const req = prompt1k();
  const s = DEFAULT_GUARDRAIL_SETTINGS;
  for (let i = 0; i < 50; i++) screenInjection(redactChatRequest(req, s, benchHashKey).request);
  const wall: number[] = [];
  const cpu: number[] = [];
  const tagger: number[] = [];
  const screen: number[] = [];
  const userText = String(req.messages[1]?.content ?? "");
  const redacted = redactChatRequest(req, s, benchHashKey).request;
  for (let i = 0; i < iterations; i++) {
    // The entity tagger alone on the user message, interleaved: its share of the total below.
    const t0c = process.cpuUsage();
    tagText(userText, loadTagger());
    const tc = process.cpuUsage(t0c);
    tagger.push((tc.user + tc.system) / 1000);
    // The injection screen alone on the redacted request, likewise.
    const s0 = process.cpuUsage();
    screenInjection(redacted);
    const sc = process.cpuUsage(s0);
    screen.push((sc.user + sc.system) / 1000);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    screenInjection(redactChatRequest(req, s, benchHashKey).request);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
  const content = req.messages[1]?.content;
  const text = typeof content === "string" ? content : "";
  return { p50: q(wall, 0.5), p99: q(wall, 0.99), cpuP50: q(cpu, 0.5), taggerCpuP50: q(tagger, 0.5), screenCpuP50: q(screen, 0.5), chars: text.length, tokens: countTokens(text) };
}

/**
 * What covering every forwarded field costs (issue 13 item 3), side by side in one loop: the
 * projection to known fields, redaction of the 1k prompt, and of the same prompt with 8 tool
 * definitions (descriptions and parameter schemas are redacted like message text), `user`,
 * `stop` and `metadata`; and the 8 parameter schemas alone with json-tree's skip rules (schema
 * vocabulary, declared `required` names, short bounds) against every leaf sent to the detector.
 */
function benchFields(iterations = 400): { projectionUs: number; plainMs: number; withToolsMs: number; schemasSkipMs: number; schemasAllMs: number } {
  const plain = prompt1k();
  const tools = Array.from({ length: 8 }, (_, i) => ({
    type: "function" as const,
    function: {
      name: `lookup_${i}`,
      description: "Looks up an order by its number and returns the status, carrier and expected delivery date.",
      parameters: {
        type: "object",
        properties: {
          order: { type: "string", description: "The order number, e.g. A-123.", maxLength: 32 },
          quantity: { type: "integer", minimum: 1, maximum: 100 },
          since: { type: "string", format: "date-time" },
          verbose: { type: "boolean" },
        },
        required: ["order", "quantity"],
      },
    },
  }));
  const rich: ChatCompletionRequest = { ...plain, tools, tool_choice: "auto", user: "eu_00112233445566778899aabbccddeeff", stop: ["END"], metadata: { feature: "support" } };
  const s = DEFAULT_GUARDRAIL_SETTINGS;
  const cpuMs = (fn: () => unknown): number => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const proj: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const skip: number[] = [];
  const every: number[] = [];
  const leaf = (v: string, k: string): string => redactText(v, s.pii, new PiiVault(), benchHashKey, k).text;
  const schemas = tools.map((t) => t.function.parameters);
  for (let i = 0; i < 30; i++) redactChatRequest(projectChatRequest(rich), s, benchHashKey);
  for (let i = 0; i < iterations; i++) {
    proj.push(cpuMs(() => projectChatRequest(rich)));
    a.push(cpuMs(() => redactChatRequest(projectChatRequest(plain), s, benchHashKey)));
    b.push(cpuMs(() => redactChatRequest(projectChatRequest(rich), s, benchHashKey)));
    skip.push(cpuMs(() => schemas.map((x) => mapJsonTree(x, leaf, "p"))));
    every.push(cpuMs(() => schemas.map((x) => redactJsonText(JSON.stringify(x), leaf))));
  }
  const p50 = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  return { projectionUs: p50(proj) * 1000, plainMs: p50(a), withToolsMs: p50(b), schemasSkipMs: p50(skip), schemasAllMs: p50(every) };
}

const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "-");
const { per, all } = benchPii();
console.log("| entity | TP | FP | FN | precision | recall |\n| --- | --- | --- | --- | --- | --- |");
for (const [k, v] of [...per].sort()) console.log(`| ${k} | ${v.tp} | ${v.fp} | ${v.fn} | ${f(v.tp / (v.tp + v.fp))} | ${f(v.tp / (v.tp + v.fn))} |`);
console.log(`| **all (micro)** | ${all.tp} | ${all.fp} | ${all.fn} | ${f(all.tp / (all.tp + all.fp))} | ${f(all.tp / (all.tp + all.fn))} |`);
console.log("\n| entity (generated values) | n | recall |\n| --- | --- | --- |");
for (const r of syntheticRecall()) console.log(`| ${r.type} | ${r.n} | ${f(r.recall)} |`);
const inj = benchInjection();
console.log(
  `\njailbreak-dev TPR ${f(inj.tpr)} (n=${inj.n[0]}); notinject-dev FPR ${f(inj.fpr)} (n=${inj.n[1]}) — in-sample, the shipped model trains on both (held-out: npm run bench:guardrails-cv); stsb sentences FPR ${f(inj.generalFpr)} (n=${inj.n[2]}, never trained on) at the default threshold ${DEFAULT_THRESHOLD}`,
);
const rp = benchRouterPrompts();
console.log(
  `benign task prompts (router corpus) flagged ${f(rp.flagged / rp.n)} (${rp.flagged}/${rp.n}; ${rp.per.map(([k, x, n]) => `${k} ${x}/${n}`).join(", ")}) at the default threshold ${DEFAULT_THRESHOLD}`,
);
const lat = benchLatency();
console.log(
  `latency redact+screen, ${lat.chars} chars (${lat.tokens} tokens, cl100k): wall p50 ${lat.p50.toFixed(3)} ms, p99 ${lat.p99.toFixed(3)} ms; CPU p50 ${lat.cpuP50.toFixed(3)} ms, of which the entity tagger ${lat.taggerCpuP50.toFixed(3)} ms and the injection screen ${lat.screenCpuP50.toFixed(3)} ms`,
);
const fields = benchFields();
console.log(
  `fields (projection + redaction, CPU p50): projection ${fields.projectionUs.toFixed(0)} µs; redaction of the 1k prompt ${fields.plainMs.toFixed(3)} ms, with 8 tool definitions, user, stop and metadata ${fields.withToolsMs.toFixed(3)} ms; the 8 parameter schemas alone: skip rules ${fields.schemasSkipMs.toFixed(3)} ms, every leaf ${fields.schemasAllMs.toFixed(3)} ms`,
);
const ph = benchPhoneLabels();
console.log(
  `phone labels (phone recognizer alone, ${ph.lines} labelled numbers, CPU p50): every region tried for at most ${ph.bound} per text (shipped) ${ph.shippedMs.toFixed(3)} ms, for all ${ph.unboundedMs.toFixed(3)} ms, for none ${ph.noWorldMs.toFixed(3)} ms; numbers found ${ph.found.join(" / ")}`,
);
console.log(`machine: ${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`);
