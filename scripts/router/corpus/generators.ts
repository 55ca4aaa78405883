/**
 * Procedural prompt families whose difficulty is a known function of their structure:
 * GSM8K-style word problems (difficulty grows with the number of reasoning steps), MMLU-style
 * multiple choice (difficulty by domain and by whether a calculation is needed), and buggy code.
 */
import type { Intent } from "../../../shared/schemas/router-training-example";
import { int, pick, type Rng } from "../lib/rng";
import { PASSAGE_SENTENCES, SLOTS } from "./slots";

export interface Generated {
  prompt: string;
  intent: Intent;
  complexity: number;
  language: string;
}

type Lang = "en" | "es" | "fr" | "de";
const STEP_TEXT: Record<Lang, { start: string; buy: string; give: string; eat: string; sell: string; split: string; ask: string[] }> = {
  en: { start: "{n} has {a} {item}.", buy: "Then {n} buys {b} packs with {c} {item} in each.", give: "{n} gives {d} {item} to a friend.", eat: "After that, {e} of them are lost.", sell: "{n} sells the rest for ${p} each.", split: "The remaining {item} are shared equally among {k} children.", ask: ["How many {item} does {n} have now?", "How much money does {n} make?", "How many {item} does each child get?"] },
  es: { start: "{n} tiene {a} {item}.", buy: "Luego compra {b} paquetes con {c} {item} cada uno.", give: "Le da {d} {item} a un amigo.", eat: "Después se pierden {e}.", sell: "Vende el resto a {p} euros cada uno.", split: "Los {item} restantes se reparten por igual entre {k} niños.", ask: ["¿Cuántos {item} tiene ahora?", "¿Cuánto dinero gana?", "¿Cuántos recibe cada niño?"] },
  fr: { start: "{n} a {a} {item}.", buy: "Ensuite, {n} achète {b} paquets de {c} {item} chacun.", give: "{n} donne {d} {item} à un ami.", eat: "Puis {e} sont perdus.", sell: "{n} vend le reste {p} euros pièce.", split: "Les {item} restants sont partagés également entre {k} enfants.", ask: ["Combien de {item} a {n} maintenant ?", "Combien d'argent gagne {n} ?", "Combien chaque enfant en reçoit-il ?"] },
  de: { start: "{n} hat {a} {item}.", buy: "Dann kauft {n} {b} Packungen mit je {c} {item}.", give: "{n} gibt einem Freund {d} {item}.", eat: "Danach gehen {e} verloren.", sell: "{n} verkauft den Rest für {p} Euro pro Stück.", split: "Die übrigen {item} werden gleichmäßig unter {k} Kindern aufgeteilt.", ask: ["Wie viele {item} hat {n} jetzt?", "Wie viel Geld verdient {n}?", "Wie viele bekommt jedes Kind?"] },
};
const ITEMS: Record<Lang, readonly string[]> = {
  en: SLOTS.item!,
  es: ["manzanas", "galletas", "lápices", "huevos", "libros"],
  fr: ["pommes", "biscuits", "crayons", "œufs", "livres"],
  de: ["Äpfel", "Kekse", "Bleistifte", "Eier", "Bücher"],
};

function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A word problem with `steps` operations; the label rises with steps (chained arithmetic is where small models slip). */
export function wordProblem(rng: Rng, lang: Lang): Generated {
  const t = STEP_TEXT[lang];
  const steps = int(rng, 1, 5);
  const vars = { n: pick(rng, SLOTS.name!), item: pick(rng, ITEMS[lang]), a: int(rng, 3, 60), b: int(rng, 2, 9), c: int(rng, 3, 24), d: int(rng, 1, 9), e: int(rng, 1, 6), p: int(rng, 2, 15), k: int(rng, 2, 6) };
  const middle = [t.buy, t.give, t.eat, t.sell, t.split].slice(0, Math.max(0, steps - 1));
  const ask = steps === 5 ? t.ask[2]! : steps === 4 ? t.ask[1]! : t.ask[0]!;
  const prompt = fill([t.start, ...middle, ask].join(" "), vars);
  const complexity = Math.min(0.85, 0.08 + 0.14 * steps + (lang === "en" ? 0 : 0.04));
  return { prompt, intent: "math", complexity, language: lang };
}

const MCQ: readonly (readonly [number, string, readonly string[]])[] = [
  [0.08, "Which planet is known as the Red Planet?", ["Venus", "Mars", "Jupiter", "Saturn"]],
  [0.1, "What is the largest ocean on Earth?", ["Atlantic", "Indian", "Arctic", "Pacific"]],
  [0.12, "Which organ pumps blood through the body?", ["Liver", "Heart", "Lungs", "Kidney"]],
  [0.15, "Which gas do plants absorb from the air?", ["Oxygen", "Nitrogen", "Carbon dioxide", "Helium"]],
  [0.35, "A 2 kg object accelerates at 3 m/s^2. What net force acts on it?", ["1.5 N", "5 N", "6 N", "9 N"]],
  [0.45, "Which of the following is a necessary element of negligence under common law?", ["Intent to harm", "Duty of care", "A written contract", "Criminal conviction"]],
  [0.5, "Let G be a group of order 15. Which statement must be true?", ["G is cyclic", "G is non-abelian", "G has no subgroup of order 5", "G has exactly two elements of order 3"]],
  [0.5, "A drug with a half-life of 6 hours is given every 6 hours. After about how many doses is steady state reached?", ["1-2", "4-5", "10-12", "Never"]],
  [0.55, "In an OLS regression, heteroskedasticity primarily affects which of the following?", ["Unbiasedness of coefficients", "Validity of standard errors", "The R-squared", "The sample mean"]],
  [0.55, "Which of the following propositions is a tautology?", ["(p → q) → (q → p)", "(p ∧ ¬p)", "(p → q) ∨ (q → p)", "p → ¬p"]],
  [0.5, "A photon has wavelength 500 nm. What is its energy in eV (approximately)?", ["0.25 eV", "2.5 eV", "25 eV", "250 eV"]],
  [0.6, "Which reagent converts a primary alcohol to an aldehyde without over-oxidation to a carboxylic acid?", ["KMnO4", "PCC", "H2SO4", "NaBH4"]],
  [0.45, "According to Kant, an action has moral worth when it is done from which motive?", ["Inclination", "Duty", "Self-interest", "Sympathy"]],
  [0.55, "A buyer pays for goods that the seller never delivers; the contract had no delivery date. Which remedy is most appropriate?", ["Specific performance only", "Rescission and restitution", "Punitive damages", "No remedy"]],
];

/** MMLU-style question: stem, lettered options, and an instruction to answer with a letter. */
export function multipleChoice(rng: Rng): Generated {
  const [complexity, stem, options] = pick(rng, MCQ);
  const letters = ["A", "B", "C", "D"];
  const body = options.map((o, i) => `${letters[i]}) ${o}`).join("\n");
  const tail = pick(rng, ["Answer with the letter only.", "Choose the correct option.", "Explain briefly, then give the letter.", ""]);
  const intent: Intent = complexity >= 0.45 && /[0-9]/.test(stem) ? "reasoning" : "factual_qa";
  return { prompt: `${stem}\n${body}\n${tail}`.trim(), intent, complexity, language: "en" };
}

const BUGGY_CODE: readonly string[] = [
  "```python\ndef average(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total / len(xs) - 1\n```",
  "```js\nasync function loadAll(ids) {\n  const out = [];\n  ids.forEach(async (id) => { out.push(await fetchItem(id)); });\n  return out;\n}\n```",
  "```go\nfunc worker(jobs chan int, results chan int) {\n  for j := range jobs { results <- j * 2 }\n}\n// main never closes jobs and waits on results forever\n```",
  "```java\npublic synchronized void transfer(Account a, Account b, int amt) {\n  synchronized(a) { synchronized(b) { a.debit(amt); b.credit(amt); } }\n}\n```",
  "```python\ncache = {}\ndef get(key, default=[]):\n    default.append(key)\n    return cache.get(key, default)\n```",
  "```ts\nlet counter = 0;\nexport async function handler() {\n  const v = counter;\n  await db.write(v + 1);\n  counter = v + 1;\n}\n```",
  "Traceback (most recent call last):\n  File \"app.py\", line 42, in <module>\n    main()\n  File \"app.py\", line 37, in main\n    for k, v in config.items:\nTypeError: 'builtin_function_or_method' object is not iterable",
];

export const buggyCode = (rng: Rng): string => pick(rng, BUGGY_CODE);

export function passage(rng: Rng, sentences: number): string {
  const start = int(rng, 0, PASSAGE_SENTENCES.length - 1);
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(PASSAGE_SENTENCES[(start + i) % PASSAGE_SENTENCES.length]!);
  return out.join(" ");
}
