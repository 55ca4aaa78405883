// The shared-set adapters on small files of our own in each format (fixtures/), never shared rows.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { llmrouterRows } from "./llmrouter-json";
import { loadRoutingSets } from "./load-routing-sets";
import { parsePythonStringList } from "./python-literal";
import { routellmCsvRows } from "./routellm-csv";
import { lastQuestion, routerbenchRows } from "./routerbench-csv";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");

describe("RouteLLM csv (GSM8K, MMLU)", () => {
  it("labels a row 1 only when the small model is wrong and the frontier right", () => {
    const rows = routellmCsvRows(read("gsm8k-fixture.csv"), "gsm8k-fixture.csv", "gsm8k");
    expect(rows).toHaveLength(10);
    const by = (start: string) => rows.find((r) => r.prompt.startsWith(start))!;
    expect(by("A baker").label).toBe(1); // small 0, frontier 1
    expect(by("Mia has").label).toBe(0); // both right
    expect(by("A train travels").label).toBe(0); // both wrong: escalating gains nothing
    expect(by("A class has").label).toBe(0); // only the small one right
    expect(rows.every((r) => r.family === "gsm8k" && r.pair === "mixtral-gpt4")).toBe(true);
  });

  it("keeps the MMLU subject and skips rows whose outcome cannot be read", () => {
    const text = read("mmlu-fixture.csv") + '"An extra question?\nA. x\nB. y\nAnswer:",law,maybe,1\n';
    const rows = routellmCsvRows(text, "mmlu.csv", "mmlu");
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set(["astronomy", "law", "mathematics"]));
  });

  it("names a missing column", () => {
    expect(() => routellmCsvRows("prompt,small_correct\nhi,1\n", "x.csv", "gsm8k")).toThrow(/missing column "frontier_correct"/);
  });
});

describe("RouterBench csv", () => {
  it("keeps only the question after the few-shot exemplars and skips blank outcomes", () => {
    const rows = routerbenchRows(read("routerbench-fixture-arc_challenge.csv"), "rb.csv");
    expect(rows).toHaveLength(5);
    expect(rows[0]!.prompt.startsWith("Which object floats on water?")).toBe(true);
    expect(rows.some((r) => r.prompt.includes("thermometer"))).toBe(false);
    expect(rows.every((r) => r.family === "arc_challenge" && r.group === "routerbench:arc_challenge")).toBe(true);
    expect(rows[1]!.label).toBe(1);
  });

  it("averages the small-model verdict over extra open models when asked", () => {
    const soft = routerbenchRows(read("routerbench-fixture-arc_challenge.csv"), "rb.csv", ["mistralai/mistral-7b-chat", "meta/llama-2-70b-chat"]);
    // Row 1: Mixtral wrong, the two others wrong too (odd rows default to 0): 3 of 3 wrong.
    expect(soft[1]!.label).toBeCloseTo(1);
    // Row 0: everyone right.
    expect(soft[0]!.label).toBe(0);
  });

  it("leaves a prompt without exemplars whole", () => {
    expect(lastQuestion("Write a function to add two numbers.")).toBe("Write a function to add two numbers.");
  });
});

describe("Python list literal", () => {
  it("reads single- and double-quoted items with escapes", () => {
    expect(parsePythonStringList(`['a\\nb', "it's", 'tab\\there', 'caf\\xe9 \\u00e9']`)).toEqual(["a\nb", "it's", "tab\there", "café é"]);
  });

  it("rejects what is not a list of strings", () => {
    expect(() => parsePythonStringList("hello")).toThrow(/not a list/);
    expect(() => parsePythonStringList("[1, 2]")).toThrow(/unexpected/);
    expect(() => parsePythonStringList("['open")).toThrow();
  });
});

describe("LLMRouter json", () => {
  const text = read("llmrouter-fixture.json");

  it("uses the small models' mean failure as difficulty, or requires a ~50B model right for a gain", () => {
    const diff = llmrouterRows(text, "l.json", "difficulty");
    const gain = llmrouterRows(text, "l.json", "gain");
    expect(diff).toHaveLength(7); // the row without the 8B score is skipped
    const hardMath = (rows: typeof diff) => rows.find((r) => r.prompt.startsWith("Find all real x"))!;
    expect(hardMath(diff).label).toBe(1); // every small model wrong...
    expect(hardMath(gain).label).toBe(0); // ...but no 50B model right either
    const fib = diff.find((r) => r.prompt.startsWith("Write a function that returns"))!;
    expect(fib.label).toBeCloseTo(0.75);
    expect(fib).toMatchObject({ weakOk: false, strongOk: true, pair: "llama8b-nemotron51b" });
  });

  it("puts copies of other files' benchmarks in their family", () => {
    const rows = llmrouterRows(text, "l.json");
    expect(rows.find((r) => r.prompt.startsWith("A shop had 40 kites"))!.family).toBe("gsm8k");
    expect(rows.find((r) => r.prompt.startsWith("Write a function that reverses"))!.family).toBe("mbpp");
  });
});

describe("loadRoutingSets", () => {
  it("reads every known file in name order and records its SHA-256 and row count", () => {
    const dir = mkdtempSync(join(tmpdir(), "routing-"));
    for (const f of ["gsm8k-fixture.csv", "mmlu-fixture.csv", "llmrouter-fixture.json", "routerbench-fixture-arc_challenge.csv"]) writeFileSync(join(dir, f), read(f));
    writeFileSync(join(dir, "README.md"), "not a set");
    const sets = loadRoutingSets(dir);
    expect(sets.files.map((f) => f.file)).toEqual(["gsm8k-fixture.csv", "llmrouter-fixture.json", "mmlu-fixture.csv", "routerbench-fixture-arc_challenge.csv"]);
    expect(sets.files[0]!.sha256).toBe(createHash("sha256").update(read("gsm8k-fixture.csv")).digest("hex"));
    expect(sets.files.map((f) => f.rows)).toEqual([10, 7, 9, 5]);
    expect(sets.rows).toHaveLength(31);
  });

  it("fails on a directory without routing sets", () => {
    expect(() => loadRoutingSets(mkdtempSync(join(tmpdir(), "empty-")))).toThrow(/no routing sets/);
  });
});
