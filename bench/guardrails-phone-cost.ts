/**
 * What trying every libphonenumber region under a "phone" label costs (bench:guardrails): the phone
 * recognizer alone on a contact sheet of labelled numbers that the default region rejects
 * (national formats of several countries, and digit groups no region lists), with the shipped
 * bound on whole-world scans per text, with no bound, and with none at all, side by side.
 */
import { MAX_WORLD_SCANS, makePhoneRecognizer, phoneRecognizer } from "../workers/gateway/src/guardrails/pii/recognizers/phone";

// Written for this benchmark: national numbers typed without a country code (accepted by one of
// the first regions tried), and digit groups that no first region accepts, which is when every
// region is tried (the worst case, ~3 ms each without the bound).
const NUMBERS = ["0351 4567890", "06 12 34 56 78", "962 33 642", "591 23 45 67", "0 7912 345678", "0 000 1234 56", "0 000 5678 12", "0 000 4321 98"];

/** Distinct numbers (the recognizer caches repeats within a text): the last two digits vary. */
export function contactSheet(lines: number): string {
  const number = (i: number): string => (NUMBERS[i % NUMBERS.length] as string).slice(0, -2) + String(i % 100).padStart(2, "0");
  return Array.from({ length: lines }, (_, i) => `Contact ${i + 1}: phone ${number(i)}, account manager, renewals team`).join("\n");
}

export interface PhoneCost { bound: number; lines: number; shippedMs: number; unboundedMs: number; noWorldMs: number; found: [number, number, number] }

export function benchPhoneLabels(lines = 40, iterations = 60): PhoneCost {
  const text = contactSheet(lines);
  const unbounded = makePhoneRecognizer(Number.POSITIVE_INFINITY);
  const noWorld = makePhoneRecognizer(0);
  const cpuMs = (fn: () => unknown): number => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const runs: [number[], number[], number[]] = [[], [], []];
  const recognizers = [phoneRecognizer, unbounded, noWorld];
  for (let i = 0; i < 5; i++) for (const r of recognizers) r.find(text, "en");
  for (let i = 0; i < iterations; i++) recognizers.forEach((r, k) => runs[k]?.push(cpuMs(() => r.find(text, "en"))));
  const p50 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const found = recognizers.map((r) => r.find(text, "en").length) as [number, number, number];
  return { bound: MAX_WORLD_SCANS, lines, shippedMs: p50(runs[0]), unboundedMs: p50(runs[1]), noWorldMs: p50(runs[2]), found };
}
