/**
 * Units of measure a text names, by dimension: "5 km" and "5 miles", "10 GB" and "10 TB" ask
 * different questions though their numbers match (the numbers guard) and word vectors put the
 * units side by side. Two texts are refused when, in one dimension, each names a unit the other
 * does not. Spellings of one unit fold together ("kilometre" = "km", "lbs" = "lb"); a unit word
 * with another everyday sense is left out ("pound" is also money, "cup" a trophy, "m" a million
 * or a minute, "second" an ordinal) so the check never fires on a non-unit.
 */
const DIMENSIONS: ReadonlyArray<Readonly<Record<string, readonly string[]>>> = [
  {
    mm: ["millimeter", "millimeters", "millimetre", "millimetres"],
    cm: ["centimeter", "centimeters", "centimetre", "centimetres"],
    meter: ["meters", "metre", "metres"],
    km: ["kilometer", "kilometers", "kilometre", "kilometres", "kms"],
    inch: ["inches"],
    foot: ["feet", "ft"],
    yard: ["yards", "yd"],
    mile: ["miles"],
  },
  {
    mg: ["milligram", "milligrams"],
    gram: ["grams", "gramme", "grammes"],
    kg: ["kilogram", "kilograms", "kilo", "kilos", "kgs"],
    lb: ["lbs"],
    ounce: ["ounces", "oz"],
    tonne: ["tonnes", "ton", "tons"],
  },
  {
    ml: ["milliliter", "milliliters", "millilitre", "millilitres"],
    liter: ["liters", "litre", "litres"],
    gallon: ["gallons"],
    pint: ["pints"],
    quart: ["quarts"],
    tablespoon: ["tablespoons", "tbsp"],
    teaspoon: ["teaspoons", "tsp"],
  },
  { celsius: ["centigrade", "°c"], fahrenheit: ["°f"], kelvin: [] },
  {
    kb: ["kilobyte", "kilobytes", "kib"],
    mb: ["megabyte", "megabytes", "mib"],
    gb: ["gigabyte", "gigabytes", "gib"],
    tb: ["terabyte", "terabytes", "tib"],
  },
  { mph: ["miles per hour"], kph: ["km/h", "kmh", "kilometers per hour"] },
  { acre: ["acres"], hectare: ["hectares"] },
  { kw: ["kilowatt", "kilowatts"], watt: ["watts"], kwh: ["kilowatt-hour", "kilowatt-hours"] },
];

/** Surface form -> [dimension, canonical unit]. */
const UNITS: ReadonlyMap<string, readonly [number, string]> = new Map(
  DIMENSIONS.flatMap((units, dim) => Object.entries(units).flatMap(([canonical, forms]) => [canonical, ...forms].map((f) => [f, [dim, canonical] as const] as const))),
);

/** Single-token forms; multi-word ones ("miles per hour") are matched in the joined text. */
const PHRASES = [...UNITS.keys()].filter((k) => /[\s/]/.test(k));
/** "5km", "10GB": a unit glued to its number. */
const GLUED = /\d(?:[.,]\d+)?([a-z°]{1,3})\b/g;
/** Units written as "°C" after a number ("20 °C", "20°C"). */
const DEGREES = /°\s?([cf])\b/g;

export function unitsOf(lowerWords: readonly string[], lowerText: string): Map<number, Set<string>> {
  const found = new Map<number, Set<string>>();
  const add = (form: string): void => {
    const entry = UNITS.get(form);
    if (!entry) return;
    const [dim, unit] = entry;
    let set = found.get(dim);
    if (!set) found.set(dim, (set = new Set()));
    set.add(unit);
  };
  for (const w of lowerWords) add(w);
  for (const m of lowerText.matchAll(GLUED)) add(m[1] ?? "");
  for (const m of lowerText.matchAll(DEGREES)) add(`°${m[1] ?? ""}`);
  for (const p of PHRASES) if (lowerText.includes(p)) add(p);
  return found;
}

/** In some dimension, each text names a unit the other does not. */
export function unitsDiffer(a: Map<number, Set<string>>, b: Map<number, Set<string>>): boolean {
  for (const [dim, inA] of a) {
    const inB = b.get(dim);
    if (!inB) continue;
    if ([...inA].some((u) => !inB.has(u)) && [...inB].some((u) => !inA.has(u))) return true;
  }
  return false;
}
