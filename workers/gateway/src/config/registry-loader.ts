/**
 * Picks the registry file for this deployment (`MODEL_REGISTRY` var) and resolves
 * `{env:NAME}` placeholders from Worker variables, so one file serves every environment
 * and endpoints live in config, not code. The Worker validates the selected registry when its
 * module loads (index.ts), so a broken entry stops `wrangler dev` with the field named; the
 * config test validates every shipped file.
 */
import localRegistry from "../../../../config/models.local.json";
import productionRegistry from "../../../../config/models.production.json";
import { ModelRegistry } from "./model-registry";

const REGISTRIES: Record<string, unknown> = { local: localRegistry, production: productionRegistry };
const PLACEHOLDER = /\{env:([A-Z][A-Z0-9_]*)\}/g;

function resolvePlaceholders(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const v = vars[name];
      return typeof v === "string" && v ? v : `http://unset-${name.toLowerCase()}.invalid`;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, vars)]));
  }
  return value;
}

/** Every shipped registry, validated (used by the config test so CI checks all of them). */
export function validateShippedRegistries(): string[] {
  return Object.entries(REGISTRIES).map(([name, raw]) => {
    new ModelRegistry(resolvePlaceholders(raw, {}), `config/models.${name}.json`); // throws on an invalid registry
    return name;
  });
}

const PLACEHOLDER_NAMES: Record<string, string[]> = Object.fromEntries(
  Object.entries(REGISTRIES).map(([name, raw]) => [name, [...new Set([...JSON.stringify(raw).matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))]]),
);
const cache = new Map<string, ModelRegistry>();

// workerd hands every request of an isolate the same env object: resolve once per object.
const byEnv = new WeakMap<object, ModelRegistry>();

export function registryFor(bindings: object): ModelRegistry {
  const known = byEnv.get(bindings);
  if (known) return known;
  const reg = resolveRegistry(bindings as Record<string, unknown>);
  byEnv.set(bindings, reg);
  return reg;
}

function resolveRegistry(env: Record<string, unknown>): ModelRegistry {
  const name = typeof env.MODEL_REGISTRY === "string" ? env.MODEL_REGISTRY : "local";
  const raw = REGISTRIES[name];
  if (raw === undefined) throw new Error(`MODEL_REGISTRY="${name}" names no file in config/ (known: ${Object.keys(REGISTRIES).join(", ")})`);
  // Keyed by the placeholder values only: resolving and validating happens once per isolate.
  const key = `${name}:${(PLACEHOLDER_NAMES[name] ?? []).map((v) => String(env[v] ?? "")).join("|")}`;
  let reg = cache.get(key);
  if (!reg) {
    reg = new ModelRegistry(resolvePlaceholders(raw, env), `config/models.${name}.json`);
    cache.set(key, reg);
  }
  return reg;
}
