/**
 * Entity detection on the dev and held-out NER splits, measured through the same code as
 * POST /v1/guardrails/check (runGuardrailCheck, default settings): per-entity typed recall, span
 * precision and typed precision, beside the rule recognizers alone (the detector before the
 * tagger). Data is read from ../shared/data/ner; generated splits come from our own templates.
 * Run: npm run bench:guardrails-ner [-- --data DIR]
 */
import { cpus } from "node:os";
import { runGuardrailCheck } from "../workers/gateway/src/guardrails/check";
import { detectPii } from "../workers/gateway/src/guardrails/pii/detect";
import { resolveOverlaps } from "../workers/gateway/src/guardrails/pii/resolve";
import { locationRecognizer } from "../workers/gateway/src/guardrails/pii/recognizers/location";
import { organizationRecognizer } from "../workers/gateway/src/guardrails/pii/recognizers/organization";
import { personRecognizer } from "../workers/gateway/src/guardrails/pii/recognizers/person";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../workers/gateway/src/guardrails/settings";
import { PII_ENTITY_TYPES, type PiiEntityType } from "../workers/gateway/src/guardrails/types";
import { DEFAULT_DATA, loadSplits } from "../scripts/guardrails/ner/datasets";
import type { Example, Span } from "../scripts/guardrails/ner/example";
import { formatRow, HEADER, recall, score, spanPrecision, total, type Report } from "../scripts/guardrails/ner/evaluate";
import { parseCli } from "../scripts/lib/cli";
import { testHashKey } from "../workers/gateway/src/guardrails/testing/hash-key";

const { values } = parseCli({
  name: "npm run bench:guardrails-ner --",
  summary: "Entity detection (typed recall, precision) on the dev and held-out NER splits, beside the rule recognizers alone.",
  options: { data: { type: "string", default: DEFAULT_DATA, value: "DIR", description: "NER data directory" } },
});
const data = values.data;
const TAGGED = new Set(["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"]);
const STRUCTURED = new Set(["PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "IBAN_CODE"]);

const viaCheck = (text: string): Span[] => runGuardrailCheck({ text, checks: ["pii"] }, DEFAULT_GUARDRAIL_SETTINGS, testHashKey("bench")).pii as Span[];

/** The detector as it was before the tagger: the same recognizers minus the tagger. */
const NON_ENTITY = PII_ENTITY_TYPES.filter((t) => !TAGGED.has(t)) as PiiEntityType[];
function rulesOnly(text: string): Span[] {
  const rules = [personRecognizer, locationRecognizer, organizationRecognizer].flatMap((r) => r.find(text, "en")).filter((f) => f.score >= 0.5);
  return resolveOverlaps([...detectPii(text, { entities: NON_ENTITY }), ...rules]);
}

function section(name: string, exs: Example[], types: ReadonlySet<string>): void {
  const now = score(exs, viaCheck, types);
  const before = score(exs, rulesOnly, types);
  console.log(`\n#### ${name} (${exs.length} texts)\n\n${HEADER.replace("| span precision |", "| span precision | typed recall, rules only |").replace("| --- | --- | --- | --- | --- | --- |", "| --- | --- | --- | --- | --- | --- | --- |")}`);
  const row = (k: string, t: ReturnType<typeof total>, b: number): string => `${formatRow(k, t).replace(/ \| ([^|]+) \|$/, ` | ${b.toFixed(3)} | $1 |`)}`;
  for (const [k, t] of [...now].sort()) console.log(row(k, t, recall(before.get(k) ?? t) || 0));
  console.log(row("**all**", total(now), recall(total(before))));
  if ([...types].some((t) => STRUCTURED.has(t))) structuredLine(now);
}

function structuredLine(r: Report): void {
  const s = total(new Map([...r].filter(([k]) => STRUCTURED.has(k))));
  console.log(`\nstructured identifiers (${[...STRUCTURED].join(", ")}): recall ${recall(s).toFixed(3)} of ${s.gold}, span precision ${spanPrecision(s).toFixed(3)}`);
}

const splits = loadSplits({ data, generated: 0, seed: 13, withTrain: false });
const ALL = new Set([...TAGGED, ...STRUCTURED]);
console.log("### Dev (used to choose the model and its settings)");
for (const [name, exs] of Object.entries(splits.dev)) section(name, exs, name.startsWith("generated") ? ALL : TAGGED);
console.log("\n### Held-out (never used for training or for choices)");
for (const [name, exs] of Object.entries(splits.test)) section(name, exs, name.startsWith("generated") ? ALL : TAGGED);
console.log(`\nmachine: ${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}`);
