/**
 * Which model or tier a request asks for, checked against the registry and the key's
 * allow-lists. `"model": "auto"` (or a tier name) leaves the choice to the router; an
 * explicit model is honoured when the key may use it.
 */
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { AuthContext } from "../app-env";
import type { ModelEntry, ModelRegistry } from "../config/model-registry";
import { contextLengthExceeded, fitsContext } from "./context-window";

export type RequestedTarget = { kind: "auto" } | { kind: "tier"; tier: string } | { kind: "model"; model: ModelEntry };

export function resolveRequestedTarget(request: ChatCompletionRequest, registry: ModelRegistry, auth: AuthContext): RequestedTarget {
  const target = resolveName(request.model, registry, auth);
  if (target.kind !== "model") requireSomeWindowFits(request, registry, auth);
  return target;
}

function resolveName(name: string, registry: ModelRegistry, auth: AuthContext): RequestedTarget {
  if (name === "auto") return { kind: "auto" };
  const model = registry.model(name);
  if (model && model.id === name) {
    if (!mayUse(auth, model)) throw forbidden(name);
    return { kind: "model", model };
  }
  // A tier name (or a model alias equal to a tier name) routes within that tier.
  if (registry.tier(name)) {
    if (auth.tiers !== null && !auth.tiers.includes(name)) throw forbidden(name);
    return { kind: "tier", tier: name };
  }
  if (model) {
    if (!mayUse(auth, model)) throw forbidden(name);
    return { kind: "model", model };
  }
  throw new GatewayError("model_not_found", `The model "${truncate(name)}" does not exist. GET /v1/models lists the models you can use, or send "auto".`, { param: "model" });
}

export function mayUse(auth: AuthContext, model: ModelEntry): boolean {
  return (auth.models === null || auth.models.includes(model.id)) && (auth.tiers === null || auth.tiers.includes(model.tier));
}

/** Whether a model can serve this request at all (output budget, tools, context window). */
export function modelAccepts(request: ChatCompletionRequest): (m: ModelEntry) => boolean {
  const wanted = request.max_completion_tokens ?? request.max_tokens ?? 0;
  const needsTools = (request.tools?.length ?? 0) > 0;
  return (m) => wanted <= m.maxOutputTokens && (!needsTools || m.capabilities.tools) && fitsContext(request, m);
}

/**
 * `auto` and tier names route to a model whose window fits (modelAccepts); when no model this
 * key may use has one large enough, the answer is OpenAI's 400 rather than a failed call.
 */
export function requireSomeWindowFits(request: ChatCompletionRequest, registry: ModelRegistry, auth: AuthContext): void {
  // Smallest window first: the count then only goes as far as the answer needs.
  const usable = registry.models.filter((m) => mayUse(auth, m)).sort((a, b) => a.contextWindow - b.contextWindow);
  const largest = usable.at(-1);
  if (largest && !usable.some((m) => fitsContext(request, m))) throw contextLengthExceeded(request, largest, "The largest available model's");
}

export function checkExplicitModel(request: ChatCompletionRequest, model: ModelEntry): void {
  const wanted = request.max_completion_tokens ?? request.max_tokens;
  if (wanted !== undefined && wanted !== null && wanted > model.maxOutputTokens) {
    throw new GatewayError("invalid_request", `max_tokens ${wanted} exceeds ${model.id}'s limit of ${model.maxOutputTokens} output tokens.`, {
      param: request.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens",
    });
  }
  if (!fitsContext(request, model)) throw contextLengthExceeded(request, model);
}

const forbidden = (name: string) => new GatewayError("forbidden", `This API key may not use "${truncate(name)}".`, { param: "model", code: "model_not_allowed" });
const truncate = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);
