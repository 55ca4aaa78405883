/** Dictionaries built by scripts/guardrails/build-dictionaries.ts, loaded once per isolate. */
import names from "./data/names.json";
import places from "./data/places.json";
import englishWords from "./data/english-words.json";

export const FIRST_NAMES: ReadonlySet<string> = new Set(names.first);
export const LAST_NAMES: ReadonlySet<string> = new Set(names.last);
/** Lower-cased place names (cities >= 100k people, countries, US states) keyed for phrase lookup. */
export const PLACES: ReadonlySet<string> = new Set(
  [...places.cities, ...places.countries, ...US_STATES()].map((p) => p.toLowerCase()),
);
export const MAX_PLACE_WORDS = 4;
/** First words of every place, so most capitalized tokens are rejected with one lookup. */
export const PLACE_FIRST_WORDS: ReadonlySet<string> = new Set([...PLACES].map((p) => p.split(" ")[0] ?? p));

// Capitalized for grammatical reasons (sentence start, titles, calendar), never names.
const STOP = `the a an and or but if in on at to for of from by with as is are was were be been this that these those it its
he she they we you i my your his her their our me him them us who what when where why how which while after before
during because although though since until unless dear hi hello thanks thank please yes no not all any some each every
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december today tomorrow yesterday mr mrs ms dr prof sir madam team customer user patient employee
applicant client officer manager director admin administrator support ssn iban email phone password passport license
account card bank number id address report data system file files login credentials security incident hr it ceo cto
new old ok note update urgent important please also then there here just only our`;
export const STOPWORDS: ReadonlySet<string> = new Set(STOP.split(/\s+/));
export const ENGLISH_WORDS: ReadonlySet<string> = new Set(englishWords);

function US_STATES(): string[] {
  return `Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois
Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana
Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming`
    .split(/\s+/)
    .concat(["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island"])
    .concat(["South Carolina", "South Dakota", "West Virginia", "District of Columbia"]);
}
