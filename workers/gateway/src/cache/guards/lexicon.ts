/**
 * Word lists the false-hit guards use. Kept short and explicit: each entry is a way two
 * near-identical questions can ask for different answers.
 */
export const NEGATIONS = new Set([
  "not", "no", "never", "without", "none", "nobody", "nothing", "neither", "nor", "cannot", "cant",
  "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "shouldnt", "couldnt", "wouldnt", "n't",
]);

/** Opposite pairs; a word matches its inflections by prefix (enable -> enabled, enabling). */
export const POLARITY_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["enabl", "disabl"], ["activat", "deactivat"], ["turn on", "turn off"], ["switch on", "switch off"],
  ["increas", "decreas"], ["add", "remov"], ["start", "stop"], ["open", "clos"], ["allow", "deny"],
  ["allow", "block"], ["includ", "exclud"], ["buy", "sell"], ["upload", "download"], ["import", "export"],
  ["encrypt", "decrypt"], ["lock", "unlock"], ["install", "uninstall"], ["subscrib", "unsubscrib"],
  ["accept", "reject"], ["true", "false"], ["before", "after"], ["maximum", "minimum"], ["max", "min"],
  ["more", "less"], ["higher", "lower"], ["larger", "smaller"], ["bigger", "smaller"], ["faster", "slower"],
  ["best", "worst"], ["positive", "negative"], ["win", "los"], ["arriv", "depart"], ["import", "export"],
  ["celsius", "fahrenheit"], ["km", "mile"], ["input", "output"], ["push", "pull"], ["merg", "split"],
  ["compress", "decompress"], ["encod", "decod"], ["serializ", "deserializ"], ["login", "logout"],
  ["sign in", "sign out"], ["log in", "log out"], ["sign up", "sign out"], ["hire", "fire"], ["rise", "fall"],
  ["gain", "los"], ["cheap", "expensive"], ["advantag", "disadvantag"], ["pro", "con"], ["like", "dislike"],
  ["legal", "illegal"], ["safe", "unsafe"], ["possible", "impossible"], ["valid", "invalid"], ["north", "south"],
  ["east", "west"], ["left", "right"], ["up", "down"], ["above", "below"], ["inside", "outside"], ["men", "women"],
  ["man", "woman"], ["boy", "girl"], ["male", "female"], ["day", "night"], ["morning", "evening"], ["hot", "cold"],
];

export const MONTHS = [
  "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
];
export const MONTH_ABBR = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
export const RELATIVE_DAYS = ["today", "tonight", "tomorrow", "yesterday", "weekend", "now", "currently", "latest"];

/** No "one": it usually means "a" ("one player tries" = "a player tries"); the digit 1 still counts. */
export const NUMBER_WORDS: Readonly<Record<string, string>> = {
  zero: "0", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
  ten: "10", eleven: "11", twelve: "12", thirteen: "13", fourteen: "14", fifteen: "15", sixteen: "16",
  seventeen: "17", eighteen: "18", nineteen: "19", twenty: "20", thirty: "30", forty: "40", fifty: "50",
  hundred: "100", thousand: "1000", million: "1e6", billion: "1e9", first: "1st", second: "2nd", third: "3rd",
  half: "0.5", dozen: "12", twice: "2x", triple: "3x",
};

/** Function words ignored by the word-order check (only content words carry roles). */
export const STOPWORDS = new Set(
  ("a an the and or but if of to in on at by for with from into onto over under about as is are was were be been being am " +
    "do does did done have has had having i me my we our you your he him his she her it its they them their this that these those " +
    "there here what which who whom whose when where why how can could would should will shall may might must not no so than then " +
    "too very just also all any some each both more most other such only own same again further once up down out off s t").split(" "),
);

/**
 * Closed sets whose members are never interchangeable: "poem about cats" vs "about dogs",
 * "install on windows" vs "on mac". Word vectors put such co-hyponyms as close as synonyms
 * (cat/dog > car/automobile in GloVe), so only an explicit list separates them. Members are
 * written once, singular and in American spelling; `categories.ts` folds plurals, British
 * spellings and aliases ("=" joins names of the same thing: "postgres=postgresql").
 */
export const EXCLUSIVE_SETS: ReadonlyArray<{ members: string; countable?: true }> = [
  { members: "red orange yellow green blue purple violet pink brown black white gray silver gold" },
  { members: "english spanish french german italian portuguese dutch russian chinese mandarin cantonese japanese korean arabic hindi bengali urdu turkish polish swedish norwegian danish finnish greek hebrew latin thai vietnamese indonesian ukrainian czech" },
  { members: "python java javascript typescript ruby php rust golang kotlin swift scala perl haskell elixir erlang clojure c++ c# csharp sql bash powershell lua dart r matlab fortran cobol" },
  { members: "windows linux ubuntu debian fedora macos=osx=mac ios android iphone ipad chromebook chromeos" },
  { members: "chrome firefox safari edge opera" },
  { members: "aws azure gcp heroku vercel netlify cloudflare" },
  { members: "mysql postgres=postgresql sqlite mongodb redis cassandra dynamodb oracle" },
  { members: "react vue angular svelte django flask rails laravel spring express nextjs" },
  { members: "cat dog horse cow pig sheep goat chicken duck rabbit mouse rat bird fish snake lion tiger bear wolf fox elephant monkey", countable: true },
  { members: "breakfast lunch dinner" },
  { members: "spring summer autumn fall winter" },
  { members: "mercury venus earth mars jupiter saturn uranus neptune pluto" },
  { members: "guitar piano violin cello flute trumpet drum saxophone clarinet harp", countable: true },
  { members: "football soccer basketball baseball tennis golf hockey cricket rugby volleyball" },
  { members: "bitcoin ethereum dogecoin solana" },
];

/** Irregular plurals of members of countable sets (regular ones add "s"). */
export const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { mice: "mouse", wolves: "wolf", foxes: "fox" };

/** City names that are also everyday words; not treated as places when lower-case. */
export const PLACE_WORD_EXCEPTIONS = new Set(["mobile", "reading", "bath", "independence", "orange", "nice", "split", "cork", "surprise", "temple", "victoria", "of", "as", "can", "man", "male", "university", "college"]);
