/**
 * Unlabeled sentences the teacher embeds: the shared NER corpora (wikigold, BTC tweets, WNUT17,
 * SEC filings), the repo's router corpus and the routing prompts' first lines, 4-40 words, each
 * source shuffled (seed 7) and capped. Evaluation sentences never enter: any sentence equal to an
 * STS-B dev sentence is dropped, and SciFact (the RAG benchmark's corpus) is sampled only so
 * the other sources' draws stay those of the first build, then left out.
 *
 * Text handling follows Python's (the first build's): universal newlines, str.split()
 * whitespace, so the same files give the same sentences.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { PythonRandom } from "./python-shuffle";

export interface Sentence {
  source: string;
  text: string;
}

const WS = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const WS_RUN = new RegExp(`${WS}+`, "g");
const EDGE_WS = new RegExp(`^${WS}+|${WS}+$`, "g");
const SENTENCE_BREAK = new RegExp(`(?<=[.!?])${WS}+(?=[A-Z])`);
const SEED = 7;
/** Most sentences kept per source, in collection order (the order fixes the random draws). */
const CAPS: [string, number][] = [
  ["wikigold", 3000],
  ["btc", 3500],
  ["wnut", 2000],
  ["sec", 1500],
  ["scifact", 3000],
  ["router", 1500],
  ["routing", 3000],
];
const EXCLUDED_SOURCES = new Set(["scifact"]);

const pyStrip = (s: string): string => s.replace(EDGE_WS, "");
const words = (s: string): string[] => pyStrip(s).split(WS_RUN).filter((w) => w.length > 0);
const readText = (path: string): string => readFileSync(path, "utf8").replace(/\r\n?/g, "\n");
const lines = (path: string): string[] => readText(path).split("\n").slice(0, -1);

function conllSentences(path: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  const flush = (): void => {
    if (cur.length > 0) out.push(detokenize(cur.join(" ")));
    cur = [];
  };
  for (const line of readText(path).split("\n")) {
    if (pyStrip(line) === "" || line.startsWith("-DOCSTART-")) flush();
    else cur.push(line.includes(" ") || line.includes("\t") ? (words(line)[0] ?? "") : line);
  }
  flush();
  return out;
}

function detokenize(s: string): string {
  return s
    .replace(/ ([,.!?;:%)])/g, "$1")
    .replace(/\( /g, "(")
    .replace(/ (n't|'s|'re|'ve|'ll|'d|'m)(?![\p{L}\p{N}_])/gu, "$1");
}

function csvRows(path: string): Record<string, string>[] {
  return parse(readText(path), { columns: true, skip_empty_lines: false, relax_column_count: true }) as Record<string, string>[];
}

const sortedFiles = (dir: string, re: RegExp): string[] =>
  readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));

function jsonl<T>(path: string): T[] {
  return lines(path)
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

function rawSources(data: string, repo: string): Map<string, string[]> {
  const ner = join(data, "ner");
  const scifact: string[] = [];
  for (const d of jsonl<{ title: string; text: string }>(join(data, "rag/scifact-dev/corpus.jsonl"))) scifact.push(d.title, ...d.text.split(SENTENCE_BREAK));
  for (const q of jsonl<{ text: string }>(join(data, "rag/scifact-dev/queries.jsonl"))) scifact.push(q.text);
  const routing: string[] = [];
  for (const f of ["gsm8k-mixtral-gpt4-dev.csv", "mmlu-mixtral-gpt4-dev.csv"]) {
    for (const r of csvRows(join(data, "routing", f))) routing.push(...(pyStrip(r.prompt ?? "").split("\n")[0] ?? "").split(SENTENCE_BREAK));
  }
  for (const f of sortedFiles(join(data, "routing"), /^routerbench-.*-train\.csv$/)) {
    for (const r of csvRows(f)) routing.push(...(stripChars(r.prompt ?? "", "[]'\"").split("\\n")[0] ?? "").split(SENTENCE_BREAK));
  }
  return new Map([
    ["wikigold", conllSentences(join(ner, "wikigold.conll"))],
    ["btc", sortedFiles(ner, /^btc-.*\.conll$/).flatMap(conllSentences)],
    ["wnut", sortedFiles(ner, /^wnut17-.*\.conll$/).flatMap(conllSentences)],
    ["sec", sortedFiles(ner, /^sec-filings-.*\.conll$/).flatMap(conllSentences)],
    ["scifact", scifact],
    ["router", jsonl<{ prompt: string }>(join(repo, "data/router/corpus.jsonl")).map((r) => r.prompt)],
    ["routing", routing],
  ]);
}

function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a] ?? "")) a++;
  while (b > a && chars.includes(s[b - 1] ?? "")) b--;
  return s.slice(a, b);
}

function evaluationSentences(data: string): Set<string> {
  const rows = parse(readText(join(data, "stsb-en-dev/stsb-en-dev.csv")), { relax_column_count: true }) as string[][];
  return new Set(rows.flatMap((r) => r.map((c) => pyStrip(c).toLowerCase())));
}

/** The sample, in source order; `excluded` sources are drawn (for the random stream) but not returned. */
export function collectSentences(data: string, repo: string): Sentence[] {
  const sources = rawSources(data, repo);
  const evaluation = evaluationSentences(data);
  const rand = new PythonRandom(SEED);
  const seen = new Set<string>();
  const out: Sentence[] = [];
  for (const [source, cap] of CAPS) {
    const candidates: string[] = [];
    for (const raw of sources.get(source) ?? []) {
      const w = words(raw);
      if (w.length < 4 || w.length > 40) continue;
      const s = w.join(" ");
      const key = s.toLowerCase();
      if (seen.has(key) || evaluation.has(key) || !/[a-zA-Z]{3}/.test(s)) continue;
      seen.add(key);
      candidates.push(s);
    }
    rand.shuffle(candidates);
    if (!EXCLUDED_SOURCES.has(source)) out.push(...candidates.slice(0, cap).map((text) => ({ source, text })));
  }
  return out;
}
