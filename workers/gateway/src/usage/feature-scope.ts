/**
 * Reads scoped by a key's `features` allow-list (docs/access-control.md, "Reads by restricted
 * keys"): a key limited to some features reads usage, traces and cache quality of those
 * features only, as it may only call models for them. null = every feature of the tenant.
 *
 * The filter binds the whole list as one JSON parameter (`json_each`) instead of one `?` per
 * feature: a key may list 100 features and D1 allows 100 bound parameters per statement.
 * Stored rows say '' for "no feature"; allow-list entries are never empty, so a restricted key
 * never matches them (it cannot make a call without a feature either).
 */

/** The features a caller may read; null = unrestricted. */
export type FeatureScope = readonly string[] | null;

/** `AND <column> IN (...)` bound at `?<param>`, and its one bind value; nothing when unrestricted. */
export function featureFilter(scope: FeatureScope, param: number, column = "feature"): { sql: string; binds: string[] } {
  if (scope === null) return { sql: "", binds: [] };
  return { sql: ` AND ${column} IN (SELECT value FROM json_each(?${param}))`, binds: [JSON.stringify(scope)] };
}
