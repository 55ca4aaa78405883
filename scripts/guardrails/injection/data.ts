/**
 * Every labelled text the injection screen is trained or measured on, tagged with where it came
 * from (`source`), its near-duplicate group (`group`: rows of one template or one jailbreak
 * family never straddle a train/test split) and the message role it stands for.
 *
 * Trained on: the corpus we wrote (workers/.../injection/corpus/*.jsonl), the shared
 * jailbreak-dev and notinject-dev sets, a sample of our router prompts, and even-numbered SciFact
 * abstracts as benign documents. Never trained on (held out for calibration and measurement):
 * the router's held-out split, STS-B sentences and odd-numbered SciFact abstracts.
 */
import { readFileSync, readdirSync } from "node:fs";
import { z } from "zod";

export type Role = "user" | "tool" | "system";
export interface Sample {
  text: string;
  y: 0 | 1;
  source: string;
  group: string;
  role: Role;
  lang: string;
}

const CORPUS = "workers/gateway/src/guardrails/injection/corpus";
const Row = z.object({
  text: z.string().min(1),
  label: z.enum(["injection", "benign"]),
  family: z.string(),
  lang: z.string().optional(),
  role: z.enum(["user", "tool", "system"]).optional(),
});

const jsonl = (path: string): unknown[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);

export function corpusSamples(): Sample[] {
  const out: Sample[] = [];
  for (const file of readdirSync(CORPUS).filter((n) => n.endsWith(".jsonl")).sort()) {
    for (const raw of jsonl(`${CORPUS}/${file}`)) {
      const r = Row.parse(raw);
      const source = `corpus/${file.replace(/\.jsonl$/, "")}`;
      // Template expansions are one source: a test fold must not hold a sibling of a training row.
      const group = file.startsWith("attacks-templated") ? source : "";
      out.push({ text: r.text, y: r.label === "injection" ? 1 : 0, source, group, role: r.role ?? "user", lang: r.lang ?? "en" });
    }
  }
  return out;
}

export function sharedSamples(data: string): Sample[] {
  const jb = z.array(z.string()).parse(JSON.parse(readFileSync(`${data}/jailbreak-dev/jailbreak_dev.json`, "utf8")));
  const ni = z
    .array(z.object({ prompt: z.string(), category: z.string() }))
    .parse(JSON.parse(readFileSync(`${data}/notinject-dev/NotInject_one.json`, "utf8")));
  return [
    ...jb.map((text): Sample => ({ text, y: 1, source: "jailbreak-dev", group: "", role: "user", lang: "en" })),
    ...ni.map((r): Sample => ({ text: r.prompt, y: 0, source: "notinject-dev", group: "", role: "user", lang: r.category === "Multilingual" ? "xx" : "en" })),
  ];
}

const prompts = (path: string): string[] => jsonl(path).map((r) => z.object({ prompt: z.string() }).parse(r).prompt);

function scifact(data: string, parity: 0 | 1, limit: number): Sample[] {
  const out: Sample[] = [];
  for (const raw of jsonl(`${data}/rag/scifact-dev/corpus.jsonl`)) {
    const r = z.object({ _id: z.string(), title: z.string(), text: z.string() }).parse(raw);
    if (Number(r._id) % 2 !== parity) continue;
    out.push({ text: `${r.title}\n${r.text}`, y: 0, source: parity ? "scifact-odd" : "scifact-even", group: "", role: "tool", lang: "en" });
    if (out.length >= limit) break;
  }
  return out;
}

/** Benign texts trained on besides the corpus: every third router prompt, 300 even SciFact abstracts. */
export function extraTrainingSamples(data: string): Sample[] {
  const router = prompts("data/router/corpus.jsonl").filter((_, i) => i % 3 === 0);
  return [...router.map((text): Sample => ({ text, y: 0, source: "router-corpus", group: "", role: "user", lang: "xx" })), ...scifact(data, 0, 300)];
}

/** Benign texts never trained on: ordinary traffic for measurement, and the tool table's calibration. */
export function heldOutBenign(data: string): Sample[] {
  const stsb = readFileSync(`${data}/stsb-en-dev/stsb-en-dev.csv`, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(",")[0] ?? "");
  return [
    ...prompts("data/router/heldout.jsonl").map((text): Sample => ({ text, y: 0, source: "router-heldout", group: "", role: "user", lang: "xx" })),
    ...stsb.map((text): Sample => ({ text, y: 0, source: "stsb", group: "", role: "user", lang: "en" })),
    ...scifact(data, 1, 1500),
  ];
}
