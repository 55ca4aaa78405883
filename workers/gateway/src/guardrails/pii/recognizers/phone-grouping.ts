import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";

/** Digits before each separator: "415.555.2671" → [3, 6]. */
function boundaries(s: string): number[] {
  const out: number[] = [];
  let digits = 0;
  let gap = false;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") {
      if (gap && digits > 0) out.push(digits);
      gap = false;
      digits++;
    } else gap = true;
  }
  return out;
}

const digitCount = (s: string): number => s.replace(/\D/g, "").length;

/**
 * Whether the groups a number was typed in fall on the region's own group boundaries, as
 * libphonenumber's strict-grouping leniency asks: nobody types a US number 5-5 ("70602-31900"
 * is a postcode), while "415 5552671" (fewer breaks) or "1-415-555-2671" (a typed prefix) are fine.
 */
export function groupsAlign(raw: string, region: CountryCode): boolean {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed) return false;
  const national = parsed.formatNational().replace(/\s*ext\..*$/, "");
  const want = new Set(boundaries(national));
  // Numbers outside every listed range come back unformatted: nothing to compare with.
  if (want.size === 0) return true;
  // Digits typed before the national number ("1-") or a trunk 0 left out move every boundary.
  const shift = digitCount(raw) - digitCount(national);
  return boundaries(raw).every((b) => b === shift || want.has(b - shift));
}
