/**
 * Names that denote the same entity, folded to one key before the entity guard compares two
 * texts: "Peruvian coast" asks about the same place as "Peru's coast", "U.S. flights" about
 * the same country as "American flights". Only unambiguous, closed equivalences (country, its
 * demonym, its common short names); anything not listed is compared as written.
 */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ["us", "usa,united states,america,american"],
  ["uk", "united kingdom,britain,great britain,british"],
  ["eu", "european union"],
  ["un", "united nations"],
  ["afghanistan", "afghan"], ["albania", "albanian"], ["algeria", "algerian"], ["argentina", "argentine,argentinian"],
  ["australia", "australian"], ["austria", "austrian"], ["belgium", "belgian"], ["brazil", "brazilian"],
  ["canada", "canadian"], ["chile", "chilean"], ["china", "chinese"], ["colombia", "colombian"], ["cuba", "cuban"],
  ["denmark", "danish"], ["egypt", "egyptian"], ["england", "english"], ["ethiopia", "ethiopian"],
  ["finland", "finnish"], ["france", "french"], ["germany", "german"], ["greece", "greek"], ["hungary", "hungarian"],
  ["india", "indian"], ["indonesia", "indonesian"], ["iran", "iranian"], ["iraq", "iraqi"], ["ireland", "irish"],
  ["israel", "israeli"], ["italy", "italian"], ["japan", "japanese"], ["jordan", "jordanian"], ["kenya", "kenyan"],
  ["korea", "korean"], ["lebanon", "lebanese"], ["libya", "libyan"], ["malaysia", "malaysian"], ["mexico", "mexican"],
  ["morocco", "moroccan"], ["netherlands", "dutch,holland"], ["nigeria", "nigerian"], ["norway", "norwegian"],
  ["pakistan", "pakistani"], ["palestine", "palestinian"], ["peru", "peruvian"], ["philippines", "filipino,philippine"],
  ["poland", "polish"], ["portugal", "portuguese"], ["russia", "russian"], ["saudi arabia", "saudi"],
  ["scotland", "scottish"], ["spain", "spanish"], ["sweden", "swedish"], ["switzerland", "swiss"], ["syria", "syrian"],
  ["thailand", "thai"], ["turkey", "turkish"], ["ukraine", "ukrainian"], ["venezuela", "venezuelan"],
  ["vietnam", "vietnamese"], ["wales", "welsh"], ["yemen", "yemeni"], ["europe", "european"], ["africa", "african"],
  ["asia", "asian"],
];

/** Alias (one or two lower-case words) -> canonical key. */
export const ENTITY_ALIASES: ReadonlyMap<string, string> = new Map(
  GROUPS.flatMap(([key, aliases]) => [[key, key] as const, ...aliases.split(",").map((a) => [a, key] as const)]),
);

/** Longest alias in words, for phrase matching. */
export const MAX_ALIAS_WORDS = 2;

/** Canonical key for an entity word or phrase, trying the singular ("peruvians" -> "peru"). */
export function canonicalEntity(e: string): string {
  return ENTITY_ALIASES.get(e) ?? (e.endsWith("s") ? ENTITY_ALIASES.get(e.slice(0, -1)) : undefined) ?? e;
}
