/**
 * British -> American spelling of common words, so "grey" and "gray", "colour" and "color" are
 * one word for the closed-set guard and the lexical overlap. A closed list, not suffix rules:
 * "-ise" -> "-ize" or "-our" -> "-or" as rules would also rewrite "wise", "rise", "four", "your".
 */
const WORDS: Readonly<Record<string, string>> = {
  grey: "gray", greys: "grays", colour: "color", colours: "colors", coloured: "colored", favourite: "favorite",
  favourites: "favorites", flavour: "flavor", flavours: "flavors", humour: "humor", honour: "honor", labour: "labor",
  neighbour: "neighbor", neighbours: "neighbors", neighbourhood: "neighborhood", behaviour: "behavior",
  harbour: "harbor", rumour: "rumor", centre: "center", centres: "centers", theatre: "theater", metre: "meter",
  metres: "meters", litre: "liter", litres: "liters", kilometre: "kilometer", kilometres: "kilometers",
  fibre: "fiber", defence: "defense", offence: "offense", licence: "license", programme: "program",
  programmes: "programs", catalogue: "catalog", dialogue: "dialog", analogue: "analog", jewellery: "jewelry",
  aluminium: "aluminum", tyre: "tire", tyres: "tires", cheque: "check", cheques: "checks", mum: "mom",
  pyjamas: "pajamas", plough: "plow", mould: "mold", moustache: "mustache", sceptical: "skeptical",
  travelled: "traveled", travelling: "traveling", traveller: "traveler", travellers: "travelers",
  cancelled: "canceled", cancelling: "canceling", modelling: "modeling", labelled: "labeled", fuelled: "fueled",
  enrol: "enroll", enrolment: "enrollment", fulfil: "fulfill", ageing: "aging", judgement: "judgment",
  paediatric: "pediatric", anaemia: "anemia", oestrogen: "estrogen", manoeuvre: "maneuver", storey: "story",
  storeys: "stories", kerb: "curb", draught: "draft",
};

/** "-ise" verbs whose "-ize" spelling is the same word, with their inflections ("organised", "organising"). */
const ISE_STEMS = [
  "organis", "realis", "recognis", "apologis", "summaris", "optimis", "minimis", "maximis", "customis", "authoris",
  "prioritis", "categoris", "criticis", "emphasis", "finalis", "initialis", "normalis", "visualis", "utilis",
  "standardis", "specialis", "memoris", "personalis", "localis", "synchronis", "serialis", "capitalis", "modernis",
  "privatis", "legalis", "mobilis", "stabilis", "sterilis", "hospitalis", "civilis", "characteris", "familiaris",
];
const ISE = new RegExp(`^(${ISE_STEMS.join("|")})(e|es|ed|ing|ation|ations|er|ers)$`);

export function americanSpelling(word: string): string {
  const mapped = WORDS[word];
  if (mapped) return mapped;
  const m = ISE.exec(word);
  return m ? `${(m[1] ?? "").slice(0, -1)}z${m[2] ?? ""}` : word;
}
