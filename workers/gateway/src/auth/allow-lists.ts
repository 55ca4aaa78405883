/**
 * Per-key allow-lists (models, tiers, features) from the key row; null = unrestricted.
 * Features are checked in authorize(); models and tiers need the parsed body and the router's
 * candidates, so the lead calls these from the chat route and the router.
 */
import { GatewayError } from "../../../../shared/errors";
import type { AuthContext } from "../app-env";
import type { ModelRegistry } from "../config/model-registry";

const allowed = (list: readonly string[] | null, value: string): boolean => list === null || list.includes(value);

export function assertModelAllowed(auth: AuthContext, model: string): void {
  if (!allowed(auth.models, model)) throw new GatewayError("forbidden", `This API key may not use model ${JSON.stringify(model)}.`, { param: "model" });
}

export function assertFeatureAllowed(auth: AuthContext, feature: string): void {
  if (!allowed(auth.features, feature)) throw new GatewayError("forbidden", "This API key may not be used for this feature.");
}

/**
 * Writes to one feature's stored data (a cache purge): a key limited to some features must name
 * one of them, since leaving the feature out means every feature of the tenant.
 */
export function assertFeatureNamed(auth: AuthContext, feature: string | undefined, param = "feature"): void {
  if (auth.features === null) return;
  if (feature === undefined) {
    throw new GatewayError("forbidden", `This API key acts only for features ${auth.features.join(", ")}: name one with ?${param}=.`, { code: "feature_required", param });
  }
  assertFeatureAllowed(auth, feature);
}

/** Filters router candidates to the key's tiers; an empty result means "forbidden". */
export function allowedTiers<T extends string>(auth: AuthContext, tiers: readonly T[]): T[] {
  return tiers.filter((t) => allowed(auth.tiers, t));
}

export function isTierAllowed(auth: AuthContext, tier: string): boolean {
  return allowed(auth.tiers, tier);
}

/**
 * A new key's models and tiers as the registry knows them: each model name (id or alias)
 * becomes the model's id, which is what the chat route compares (`mayUse` in
 * chat/resolve-target.ts). An unknown model or tier is a 400 naming the entry, not a key that
 * fails every call later with an unrelated hint.
 */
export function canonicalAllowLists<T extends { models?: string[] | undefined; tiers?: string[] | undefined }>(registry: ModelRegistry, input: T): T {
  const models = input.models?.map((name, i) => {
    const model = registry.model(name);
    if (!model) throw new GatewayError("invalid_request", `Unknown model ${JSON.stringify(name)}: GET /v1/models lists the models.`, { param: `models.${i}` });
    return model.id;
  });
  input.tiers?.forEach((tier, i) => {
    if (!registry.tier(tier)) {
      const known = registry.tiers.map((t) => t.id).join(", ");
      throw new GatewayError("invalid_request", `Unknown tier ${JSON.stringify(tier)}: the tiers are ${known}.`, { param: `tiers.${i}` });
    }
  });
  return models ? { ...input, models: [...new Set(models)] } : input;
}
