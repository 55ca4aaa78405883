/**
 * Per-key allow-lists (models, tiers, features) from the key row; null = unrestricted.
 * Features are checked in authorize(); models and tiers need the parsed body and the router's
 * candidates, so the lead calls these from the chat route and the router.
 */
import { GatewayError } from "../../../../shared/errors";
import type { AuthContext } from "../app-env";

const allowed = (list: readonly string[] | null, value: string): boolean => list === null || list.includes(value);

export function assertModelAllowed(auth: AuthContext, model: string): void {
  if (!allowed(auth.models, model)) throw new GatewayError("forbidden", `This API key may not use model ${JSON.stringify(model)}.`, { param: "model" });
}

export function assertFeatureAllowed(auth: AuthContext, feature: string): void {
  if (!allowed(auth.features, feature)) throw new GatewayError("forbidden", "This API key may not be used for this feature.");
}

/** Filters router candidates to the key's tiers; an empty result means "forbidden". */
export function allowedTiers<T extends string>(auth: AuthContext, tiers: readonly T[]): T[] {
  return tiers.filter((t) => allowed(auth.tiers, t));
}

export function isTierAllowed(auth: AuthContext, tier: string): boolean {
  return allowed(auth.tiers, tier);
}
