/**
 * Synthetic prose: words drawn from a list whose members are each exactly one o200k token
 * (with a leading space), so "n words" is close to "n tokens" and generation stays O(n).
 */
import type { Rng } from "./hash";
import { pick } from "./hash";

const WORDS = (
  "the of and to in is that for it with as was on be by this are from at or have an not they " +
  "which you one were all we can her has there been if more when will would who so no model " +
  "token cache route edge query answer data time system user value result first other new " +
  "some could these may then two only about over into after also most well way many"
).split(" ");

const OPENERS = ["Sure", "Here", "Yes", "Well", "Okay", "Indeed"];

/** Exactly `count` words (>= 1), first capitalised; no trailing period so tokens stay ~= words. */
export function synthWords(rng: Rng, count: number): string[] {
  const out: string[] = [pick(rng, OPENERS)];
  for (let i = 1; i < count; i++) out.push(` ${pick(rng, WORDS)}`);
  return out;
}

export function synthText(rng: Rng, count: number): string {
  return synthWords(rng, count).join("");
}

/** A short phrase for JSON string values. */
export function synthPhrase(rng: Rng, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(pick(rng, WORDS));
  return parts.join(" ");
}
