/**
 * Gazetteer bits per token: the dictionaries the rule recognizers use, plus address vocabulary
 * in several languages. The tagger learns how much to trust each bit; training drops them at
 * random so that a name missing from the lists is still recognised by shape and context.
 */
import { ENGLISH_WORDS, FIRST_NAMES, LAST_NAMES, MAX_PLACE_WORDS, PLACE_FIRST_WORDS, PLACES, STOPWORDS } from "../dictionaries";
import { ORG_SUFFIXES } from "../recognizers/organization";
import { TOKEN_KIND, type TagToken } from "./tokenize";

export const GAZ = {
  first: 1 << 0,
  last: 1 << 1,
  placeB: 1 << 2,
  placeI: 1 << 3,
  english: 1 << 4,
  stop: 1 << 5,
  street: 1 << 6,
  unit: 1 << 7,
  orgSuffix: 1 << 8,
  title: 1 << 9,
  stateCode: 1 << 10,
  military: 1 << 11,
  direction: 1 << 12,
  box: 1 << 13,
} as const;
export const GAZ_BITS = 14;

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

// Street types and street words (en, de, fr, es, it, pt, nl, sv/da/no, pl, cs, ru transliterated).
const STREET = words(`street st avenue ave av road rd boulevard blvd bd lane ln drive dr court ct way place pl terrace ter
parkway pkwy highway hwy circle cir square sq trail trl alley junction jct crossing xing loop mall manor meadow mews
pike plaza point port ranch ridge route rte row run shore spur summit throughway trace track turnpike underpass valley
via view vista walk close crescent cres grove gardens gdns hill hollow rise wharf quay broadway expressway freeway
straße strasse str weg platz allee gasse ring damm ufer chaussee steig pfad markt
rue chemin impasse allée allee quai voie cours sentier passage faubourg
calle avenida carrera paseo camino carretera ronda travesía callejón plazuela
viale piazza corso vicolo largo strada
rua travessa rodovia estrada alameda praça largo
straat laan plein gracht kade dreef singel steeg
gatan gata vägen väg gränd gade vej vei gate
ulica ul aleja al osiedle os plac
ulice náměstí třída
ulitsa prospekt pereulok`);
const UNIT = words(`apt apartment suite ste unit floor fl flat room rm bldg building dept lot space trlr
wohnung whg zimmer etage stock og eg appt app bureau étage piso depto dpto puerta planta interior int
lgh kv hoog bus sala andar casa bloco`);
const TITLES = words(`mr mrs ms miss mx dr prof professor sir dame lord lady herr frau fräulein monsieur madame mademoiselle mme mlle
señor señora señorita sr sra srta dott dott.ssa sig sig.ra mevr dhr pan pani officer detective sgt sergeant captain capt
judge senator rep agent nurse rev reverend father sister`);
const STATE_CODES = words(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND
OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AB BC MB NB NL NS NT NU ON PE QC SK YT`);
const MILITARY = words(`apo fpo dpo uss usns usnv usnsv psc cmr`);
const DIRECTIONS = words(`n s e w ne nw se sw north south east west northeast northwest southeast southwest nord süd sud ost est ouest oeste norte sur`);
const BOX = words(`box po p.o pob postfach apartado caixa postbus boîte bp cp postboks`);
const ORG_LOWER = new Set([...ORG_SUFFIXES].map((w) => w.toLowerCase().replace(/\.$/, "")));

const titleCase = (w: string): string => (w.length > 0 ? (w[0] as string).toUpperCase() + w.slice(1).toLowerCase() : w);

export function wordBits(t: string, lower: string): number {
  let b = 0;
  const tc = titleCase(t);
  if (FIRST_NAMES.has(t) || FIRST_NAMES.has(tc)) b |= GAZ.first;
  if (LAST_NAMES.has(t) || LAST_NAMES.has(tc)) b |= GAZ.last;
  if (ENGLISH_WORDS.has(lower)) b |= GAZ.english;
  if (STOPWORDS.has(lower)) b |= GAZ.stop;
  if (STREET.has(lower)) b |= GAZ.street;
  if (UNIT.has(lower)) b |= GAZ.unit;
  if (ORG_LOWER.has(lower)) b |= GAZ.orgSuffix;
  if (TITLES.has(lower)) b |= GAZ.title;
  if (t.length === 2 && STATE_CODES.has(t)) b |= GAZ.stateCode;
  if (MILITARY.has(lower) || ((t === "AE" || t === "AA" || t === "AP") && t === t.toUpperCase())) b |= GAZ.military;
  if (DIRECTIONS.has(lower.replace(/\.$/, ""))) b |= GAZ.direction;
  if (BOX.has(lower)) b |= GAZ.box;
  return b;
}

/** Whether only spaces separate two tokens (a place name does not span a comma or a line). */
const joined = (text: string, a: TagToken, b: TagToken): boolean => b.start - a.end <= 2 && /^ {0,2}$/.test(text.slice(a.end, b.start));

export function markPlaces(text: string, toks: readonly TagToken[], lowers: readonly string[], bits: Uint16Array): void {
  for (let i = 0; i < toks.length; i++) {
    if ((toks[i] as TagToken).kind !== TOKEN_KIND.word || !PLACE_FIRST_WORDS.has(lowers[i] as string)) continue;
    let phrase = lowers[i] as string;
    let best = PLACES.has(phrase) ? 1 : 0;
    for (let n = 2; n <= MAX_PLACE_WORDS && i + n - 1 < toks.length; n++) {
      const k = i + n - 1;
      if (!joined(text, toks[k - 1] as TagToken, toks[k] as TagToken)) break;
      phrase += ` ${lowers[k] as string}`;
      if (PLACES.has(phrase)) best = n;
    }
    if (best === 0) continue;
    bits[i] = (bits[i] as number) | GAZ.placeB;
    for (let k = i + 1; k < i + best; k++) bits[k] = (bits[k] as number) | GAZ.placeI;
    i += best - 1;
  }
}

/** Lower-cased token texts and their gazetteer bits. */
export function lexiconBits(text: string, toks: readonly TagToken[]): { lowers: string[]; bits: Uint16Array } {
  const lowers = toks.map((t) => t.text.toLowerCase());
  const bits = new Uint16Array(toks.length);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as TagToken;
    if (t.kind === TOKEN_KIND.word) bits[i] = wordBits(t.text, lowers[i] as string);
  }
  markPlaces(text, toks, lowers, bits);
  return { lowers, bits };
}
