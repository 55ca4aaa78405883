/**
 * Turns templates, generators and hand-written prompts into labelled rows. Pure and seeded:
 * the same seed yields the same corpus (`npm run router:corpus`).
 */
import type { Intent, RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { int, mulberry32, pick, type Rng } from "../lib/rng";
import { buggyCode, multipleChoice, passage, wordProblem } from "./generators";
import { examQuestion, scenarioProblem } from "./generators-bench-style";
import { HANDWRITTEN } from "./handwritten";
import { SLOTS } from "./slots";
import { EN_TEMPLATES, type Template } from "./templates-en";
import { INTL_TEMPLATES } from "./templates-intl";

const PREFIXES: Record<string, readonly string[]> = {
  en: ["", "", "", "Please ", "Quick question: ", "hey, ", "Could you help? "],
  es: ["", "", "Por favor, ", "Oye, "],
  fr: ["", "", "S'il te plaît, ", "Petite question : "],
  de: ["", "", "Bitte: ", "Kurze Frage: "],
};
/** Extra output constraints: each is one more way for a small model to fail (labels rise). */
const CONSTRAINTS: readonly string[] = [
  " Answer in exactly three bullet points.",
  " Keep it under 50 words and use a formal tone.",
  " Format the answer as JSON with keys \"answer\" and \"reason\".",
  " Do not use the letter 'z' anywhere and end with a question.",
  " Include at least two concrete examples and cite no sources you cannot verify.",
];
const CONSTRAINT_DELTA: Partial<Record<Intent, number>> = { chat: 0.03, factual_qa: 0.05, classification: 0.05, extraction: 0.07, creative: 0.1, rewriting: 0.08, summarization: 0.08 };

function fillSlots(rng: Rng, text: string): string {
  const names = [...SLOTS.name!].sort(() => rng() - 0.5);
  return text.replace(/\{(\w+)\}/g, (m, key: string) => {
    if (key === "a" || key === "b") return String(int(rng, 2, 999));
    if (key === "c") return String(int(rng, 2, 40));
    if (/^name\d?$/.test(key)) return names[Number(key.slice(4) || "1") - 1] ?? m;
    if (key === "passage") return passage(rng, int(rng, 2, 3));
    if (key === "long_passage") return passage(rng, int(rng, 6, 12));
    if (key === "buggy_code") return buggyCode(rng);
    const values = SLOTS[key];
    return values ? pick(rng, values) : m;
  });
}

const clamp = (x: number): number => Math.round(Math.min(0.97, Math.max(0.01, x)) * 1000) / 1000;

function fromTemplate(rng: Rng, [intent, base, text]: Template, language: string): RouterTrainingExample {
  let prompt = fillSlots(rng, text);
  let complexity = base + (rng() - 0.5) * 0.06;
  const prefix = pick(rng, PREFIXES[language] ?? [""]);
  if (prefix && !/^(hi|hello|hola|bonjour|hallo|hey)/i.test(prompt)) prompt = prefix + prompt.charAt(0).toLowerCase() + prompt.slice(1);
  const delta = CONSTRAINT_DELTA[intent];
  if (language === "en" && delta !== undefined && base >= 0.05 && rng() < 0.25) {
    prompt += pick(rng, CONSTRAINTS);
    complexity += delta;
  }
  return { prompt, intent, complexity: clamp(complexity), language, source: "corpus" };
}

const hasSlots = (t: Template): boolean => /\{\w+\}/.test(t[2]);

export function assembleCorpus(seed: number): RouterTrainingExample[] {
  const rng = mulberry32(seed);
  const rows: RouterTrainingExample[] = [];
  for (const t of EN_TEMPLATES) for (let i = 0; i < (hasSlots(t) ? 14 : 5); i++) rows.push(fromTemplate(rng, t, "en"));
  for (const [lang, templates] of Object.entries(INTL_TEMPLATES))
    for (const t of templates) for (let i = 0; i < (hasSlots(t) ? 8 : 3); i++) rows.push(fromTemplate(rng, t, lang));
  for (const t of HANDWRITTEN) rows.push({ prompt: t[2], intent: t[0], complexity: t[1], language: "en", source: "corpus" });
  for (let i = 0; i < 260; i++) rows.push(asRow(wordProblem(rng, "en")));
  for (const lang of ["es", "fr", "de"] as const) for (let i = 0; i < 50; i++) rows.push(asRow(wordProblem(rng, lang)));
  for (let i = 0; i < 80; i++) rows.push(asRow(multipleChoice(rng)));
  for (let i = 0; i < 160; i++) rows.push(asRow(examQuestion(rng)));
  for (let i = 0; i < 200; i++) rows.push(asRow(scenarioProblem(rng)));
  addContext(rng, rows);
  const seen = new Set<string>();
  const key = (r: RouterTrainingExample): string => `${r.context ?? ""}\u0000${r.prompt}`;
  return rows.filter((r) => (seen.has(key(r)) ? false : (seen.add(key(r)), true)));
}

function asRow(g: { prompt: string; intent: Intent; complexity: number; language: string }): RouterTrainingExample {
  return { prompt: g.prompt, intent: g.intent, complexity: clamp(g.complexity), language: g.language, source: "corpus" };
}

/** Earlier turns seen in multi-turn traffic. Difficulty follows the last turn, so labels are kept. */
const CONTEXTS: readonly string[] = [
  "user: hi\nassistant: Hello! How can I help you today?",
  "system: You are a helpful assistant.",
  "system: You are a concise assistant for a support team. Answer in the user's language.",
  "user: I need help with my homework.\nassistant: Sure, what is the question?",
  "user: Can you look at my code?\nassistant: Of course, please paste it.\nuser: It's a Python script that processes orders.\nassistant: Go ahead.",
  "system: You are a coding assistant.\nuser: hello\nassistant: Hi! What are you working on?",
];

function addContext(rng: Rng, rows: RouterTrainingExample[]): void {
  const n = rows.length;
  for (let i = 0; i < n; i++) if (rng() < 0.12) rows.push({ ...rows[i]!, context: pick(rng, CONTEXTS) });
}
