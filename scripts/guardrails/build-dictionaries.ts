/**
 * Builds the name/place dictionaries shipped with the PII detector from npm packages
 * (@faker-js/faker person names, city-timezones cities >= 100k people, countries-list),
 * so nothing is fetched at run time. Run: npm run guardrails:dicts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { allLocales } from "@faker-js/faker";
import { countries } from "countries-list";
import { parseCli } from "../lib/cli";

parseCli({ name: "npm run guardrails:dicts", summary: "Rebuilds the PII detector's name and place dictionaries (workers/gateway/src/guardrails/pii/data) from npm packages." });

const cityMap: unknown = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("city-timezones/data/cityMap.json"), "utf8"));
const OUT = "workers/gateway/src/guardrails/pii/data";
const LOCALES = [
  "en", "en_US", "en_GB", "en_AU", "en_IN", "en_NG", "en_ZA", "en_IE", "de", "fr", "es", "es_MX", "it", "pt_BR", "pt_PT",
  "nl", "pl", "sv", "nb_NO", "da", "fi", "tr", "ro", "cs_CZ", "hr", "vi", "id_ID", "fr_CA", "de_AT", "de_CH", "hu", "sk",
];
const NAME = /^\p{Lu}[\p{L}'’-]{1,20}$/u;

function collect(into: Set<string>, v: unknown): void {
  if (typeof v === "string") {
    if (NAME.test(v)) into.add(v);
  } else if (Array.isArray(v)) for (const x of v) collect(into, x);
  else if (v && typeof v === "object") for (const x of Object.values(v)) collect(into, x);
}

const first = new Set<string>();
const last = new Set<string>();
for (const id of LOCALES) {
  const person = (allLocales as Record<string, { person?: { first_name?: unknown; last_name?: unknown; middle_name?: unknown } }>)[id]?.person;
  if (!person) continue;
  collect(first, person.first_name);
  collect(first, person.middle_name);
  collect(last, person.last_name);
}

// English words: a capitalized "Will" or "Young" is usually a word, not a name.
const words = new Set<string>();
const en = allLocales.en as unknown as { word: Record<string, string[]> };
for (const list of Object.values(en.word)) for (const w of list) if (/^[a-z]+$/.test(w)) words.add(w);

const cities = new Set<string>();
for (const c of cityMap as Array<{ city: string; city_ascii: string; pop: number }>) {
  if (c.pop < 100_000) continue;
  for (const n of [c.city, c.city_ascii]) if (n.length >= 3 && !n.includes("(")) cities.add(n);
}
const countryNames = new Set<string>();
for (const c of Object.values(countries)) {
  countryNames.add(c.name);
  if (c.native && /^[\p{L} .'-]+$/u.test(c.native)) countryNames.add(c.native);
}

const sorted = (s: Set<string>): string[] => [...s].sort();
writeFileSync(`${OUT}/names.json`, JSON.stringify({ first: sorted(first), last: sorted(last) }));
writeFileSync(`${OUT}/places.json`, JSON.stringify({ cities: sorted(cities), countries: sorted(countryNames) }));
writeFileSync(`${OUT}/english-words.json`, JSON.stringify(sorted(words)));
console.log({ first: first.size, last: last.size, words: words.size, cities: cities.size, countries: countryNames.size });
