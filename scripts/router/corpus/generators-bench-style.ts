/**
 * More prompt families in the styles public routing benchmarks use (all text authored here):
 * exam-style multiple choice across subjects (difficulty by subject level and by whether the
 * item needs calculation or multi-step inference), and arithmetic word problems of varied
 * scenarios (difficulty by number of dependent steps, percentages and fractions).
 */
import type { Intent } from "../../../shared/schemas/router-training-example";
import { int, pick, type Rng } from "../lib/rng";
import { SLOTS } from "./slots";
import type { Generated } from "./generators";

type Mcq = readonly [number, Intent, string, readonly string[]];
const EXAM: readonly Mcq[] = [
  [0.1, "factual_qa", "What is the freezing point of water in degrees Celsius?", ["-10", "0", "10", "100"]],
  [0.12, "factual_qa", "Which of these is a mammal?", ["Shark", "Dolphin", "Trout", "Octopus"]],
  [0.15, "factual_qa", "Who is known for the theory of evolution by natural selection?", ["Newton", "Darwin", "Curie", "Galileo"]],
  [0.18, "factual_qa", "Which amendment to the US Constitution protects freedom of speech?", ["First", "Second", "Fifth", "Tenth"]],
  [0.3, "factual_qa", "Which enzyme unwinds the DNA double helix during replication?", ["Ligase", "Helicase", "Primase", "Polymerase I"]],
  [0.35, "factual_qa", "In macroeconomics, an increase in government spending with no change in taxes most directly shifts which curve?", ["Aggregate supply", "Aggregate demand", "Phillips curve", "Laffer curve"]],
  [0.4, "factual_qa", "Which philosopher argued that the unexamined life is not worth living?", ["Aristotle", "Socrates", "Hume", "Nietzsche"]],
  [0.45, "factual_qa", "Under the hearsay rule, which statement is most likely admissible?", ["A neighbour's account of what the victim said last year", "An excited utterance made during the event", "A police summary of witness rumours", "A newspaper's report of the crime"]],
  [0.5, "factual_qa", "Which structure is most likely damaged in a patient with loss of pain and temperature on one side of the face and the opposite side of the body?", ["Medial medulla", "Lateral medulla", "Cerebellar vermis", "Occipital lobe"]],
  [0.5, "reasoning", "A firm's marginal cost is 2q + 4 and it sells in a competitive market at price 20. What quantity maximises profit?", ["4", "6", "8", "10"]],
  [0.55, "reasoning", "If log2(x) + log2(x - 2) = 3, what is x?", ["2", "4", "6", "8"]],
  [0.55, "reasoning", "A capacitor of 10 μF is charged to 12 V. How much energy does it store?", ["0.72 mJ", "1.2 mJ", "7.2 mJ", "72 mJ"]],
  [0.6, "reasoning", "How many elements of order 2 does the symmetric group S4 have?", ["3", "6", "9", "12"]],
  [0.6, "reasoning", "A sample of 100 has mean 52 and standard deviation 10. What is the approximate 95% confidence interval for the population mean?", ["50.0 to 54.0", "42 to 62", "51.0 to 53.0", "32 to 72"]],
  [0.55, "reasoning", "Statement 1: Every subgroup of an abelian group is normal. Statement 2: Every group of prime order is cyclic.", ["True, True", "True, False", "False, True", "False, False"]],
  [0.5, "factual_qa", "Which of the following best describes the principle of stare decisis?", ["Courts follow precedent", "Statutes override constitutions", "Juries decide law", "Judges may not interpret statutes"]],
  [0.45, "factual_qa", "In computer security, which attack exploits a program writing beyond the end of an allocated buffer?", ["Phishing", "Buffer overflow", "Replay attack", "Man-in-the-middle"]],
  [0.5, "reasoning", "What is the time complexity of building a binary heap from n unsorted elements with the bottom-up method?", ["O(log n)", "O(n)", "O(n log n)", "O(n^2)"]],
];

export function examQuestion(rng: Rng): Generated {
  const [complexity, intent, stem, options] = pick(rng, EXAM);
  const style = int(rng, 0, 2);
  const letters = ["A", "B", "C", "D"];
  const opts = options.map((o, i) => (style === 0 ? `${letters[i]}. ${o}` : style === 1 ? `(${letters[i]}) ${o}` : `${letters[i]}) ${o}`)).join("\n");
  const head = pick(rng, ["", "Question: ", "The following is a multiple choice question. "]);
  const tail = pick(rng, ["Answer:", "", "Reply with the correct letter.", "Think step by step, then answer."]);
  return { prompt: `${head}${stem}\n${opts}\n${tail}`.trim(), intent, complexity, language: "en" };
}

type Scenario = (rng: Rng, n: string) => readonly [string, number];
const SCENARIOS: readonly Scenario[] = [
  (r, n) => [`${n} earns $${int(r, 10, 30)} per hour and works ${int(r, 10, 40)} hours a week. How much does ${n} earn in a week?`, 1],
  (r, n) => [`${n} earns $${int(r, 10, 30)} per hour and works ${int(r, 10, 40)} hours a week. ${n} spends ${int(r, 2, 4) * 10}% of that on rent. How much is left each week?`, 3],
  (r, _n) => [`A shirt costs $${int(r, 20, 80)}. It is discounted by ${int(r, 1, 5) * 10}%, and then a ${int(r, 5, 9)}% sales tax is added to the discounted price. What is the final price?`, 3],
  (r, n) => [`${n} is ${int(r, 3, 9)} years older than her brother. In ${int(r, 2, 6)} years the sum of their ages will be ${int(r, 30, 60)}. How old is her brother now?`, 4],
  (r, _n) => [`A car travels ${int(r, 100, 300)} km at ${int(r, 50, 90)} km/h and then ${int(r, 50, 150)} km at ${int(r, 60, 110)} km/h. What is its average speed for the whole trip?`, 4],
  (r, n) => [`${n} bakes ${int(r, 3, 8)} trays of ${int(r, 10, 24)} cookies. She gives ${int(r, 1, 3)}/${int(r, 4, 6)} of them to neighbours, eats ${int(r, 2, 6)}, and packs the rest into boxes of ${int(r, 4, 8)}. How many full boxes does she get?`, 5],
  (r, _n) => [`A recipe needs ${int(r, 2, 4)} cups of flour for ${int(r, 10, 14)} muffins. How many cups are needed for ${int(r, 30, 60)} muffins?`, 2],
  (r, _n) => [`A tank is filled by one pipe in ${int(r, 3, 6)} hours and emptied by another in ${int(r, 8, 12)} hours. If both are open, how long does it take to fill the tank?`, 4],
  (r, n) => [`${n} buys ${int(r, 2, 6)} notebooks at $${int(r, 2, 6)} each and ${int(r, 2, 5)} pens at $${int(r, 1, 3)} each, and pays with a $50 bill. How much change does ${n} get?`, 3],
  (r, _n) => [`In a class of ${int(r, 20, 40)} students, ${int(r, 2, 6) * 10}% play football, and half of the rest play tennis. How many students play neither sport?`, 4],
];

export function scenarioProblem(rng: Rng): Generated {
  const [prompt, steps] = pick(rng, SCENARIOS)(rng, pick(rng, SLOTS.name!));
  return { prompt, intent: "math", complexity: Math.min(0.85, 0.1 + 0.14 * steps), language: "en" };
}
