/**
 * Word lists behind the handcrafted features. They name what makes a prompt hard or easy for
 * a small model in a way that transfers across datasets (multi-step reasoning, constraints,
 * proofs, code) rather than words of our own corpus. Lower-case, accent-folded (see
 * normalize.ts), in the languages the corpus covers: en, es, fr, de.
 */
const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Constraint vocabulary: each one is something the answer can fail to respect. */
export const CONSTRAINT_WORDS = words(`
  must should exactly least most only without never always ensure avoid include exclude limit maximum minimum
  words sentences bullet bullets format json table yaml csv markdown tone style under within strictly
  debe deben exactamente solo sin nunca siempre incluye evita maximo minimo palabras formato
  doit exactement seulement sans jamais toujours inclure eviter maximum minimum mots
  muss genau nur ohne nie immer enthalten vermeide hochstens mindestens worter format
`);

/** Signals of multi-step work: the answer needs a chain, not a lookup. */
export const MULTISTEP_WORDS = words(`
  step steps then after first second finally therefore because why how explain justify derive prove
  compare contrast analyze analyse evaluate tradeoffs tradeoff implications consequences plan design
  paso pasos luego despues primero explica demuestra compara analiza porque
  etape etapes ensuite puis premier explique demontre compare analyse pourquoi
  schritt schritte dann danach zuerst erklare beweise vergleiche analysiere warum
`);

/** Verbs and nouns of expert or open-ended work. */
export const HARD_WORDS = words(`
  prove proof theorem lemma derive optimize optimise complexity algorithm implement debug refactor
  architecture concurrency distributed scalable asymptotic integral derivative eigenvalue probability
  statistical regression hypothesis diagnosis differential legal liability jurisdiction pharmacokinetics
  thermodynamics quantum rigorous counterexample invariant edge cases race deadlock memory leak
  recursion dynamic programming combinatorics inequality polynomial matrix vector
  demostrar optimizar algoritmo implementar depurar demontrer optimiser implementer deboguer
  beweisen optimieren implementieren algorithmus
  isomorphic isomorphism homomorphism subgroup abelian cyclic ideal ring field extension modulo congruent
  eigenvector determinant orthogonal convergent divergent series limit infinitesimal manifold topology
  stochastic variance covariance estimator heteroskedasticity endogeneity bayesian posterior likelihood
  torque momentum acceleration velocity voltage capacitor inductance resistance entropy enthalpy molar
  stoichiometry equilibrium oxidation reagent titration wavelength photon relativistic kinematics
  plaintiff defendant tort negligence statute precedent admissible hearsay contract breach remedy
  amortization accrual depreciation liabilities derivative arbitrage elasticity marginal
  syndrome etiology contraindicated pathophysiology pharmacology dosage prognosis
  syllogism fallacy premise valid tautology contradiction predicate quantifier
  lineal hipotesis integral derivada ecuacion teorema lemme intégrale dérivée équation satz ableitung gleichung
`);

/** Small-talk and trivial-request markers. */
export const EASY_WORDS = words(`
  hi hello hey thanks thank please good morning evening bye cheers ok okay cool great
  hola gracias buenos dias adios bonjour merci salut bonsoir hallo danke guten morgen tag tschuss
  capital synonym antonym spell spelling define definition meaning translate fix typo typos
`);

/**
 * Within-task difficulty cues (features/difficulty.ts): each negation or connective is one more
 * condition the answer must respect; number words are quantities the problem carries.
 */
export const NEGATION_WORDS = words(`
  not except least never false incorrect neither nor
  no excepto nunca falso ninguno ni sauf jamais faux aucun ni nicht ausser nie falsch kein keine weder noch
`);

export const CONJUNCTION_WORDS = words(`and or et ou und oder`);

export const NUMBER_WORDS = words(`
  one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million
  half twice double triple quarter third dozen
  dos tres cuatro cinco seis siete ocho nueve diez cien mil mitad doble
  deux trois quatre cinq sept huit neuf dix cent mille moitie
  zwei drei vier funf sechs sieben acht neun zehn hundert tausend halb doppelt
`);

/** Code markers as they appear in raw text (checked before normalization). */
export const CODE_PATTERNS: readonly RegExp[] = [
  /```/g,
  /[{};]\s*$/gm,
  /\b(def|class|function|return|import|const|let|var|public|static|void|fn|func|SELECT|FROM|WHERE)\b/g,
  /=>|::|->|\+\+|==|!=|&&|\|\|/g,
  /\b(Traceback|Exception|Error|undefined|null|NaN|segfault|stack trace)\b/g,
  /\w\(\)|(?<=\w)\.\w+\(/g,
];

/** Stopwords per language for a cheap language guess (features only, not a detector). */
export const STOPWORDS: Readonly<Record<"en" | "es" | "fr" | "de", ReadonlySet<string>>> = {
  en: words("the and is are of to in that it for with what how you this be on"),
  es: words("el la los las y es son de que en por para con una un como que esta"),
  fr: words("le la les et est sont de des que en pour avec une un comment ce cette du"),
  de: words("der die das und ist sind von zu in mit fur ein eine wie was nicht den dem"),
};
