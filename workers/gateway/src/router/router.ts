/**
 * The router facade the gateway uses: classify a request, decide its tier, explain it.
 * Backend-agnostic (ORT in the Worker via worker-router.ts, the TS reference in Node tools).
 */
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { classifyInput, classifySparse, type Classification, type ScoreBackend, type SparseScoreBackend } from "./classify";
import { decideRoute, type RouteContext, type RouteDecision } from "./policy";
import type { WinCurve } from "./quality-target/win-curve";
import { featureInputFromMessages } from "./request-features";
import { RouterSettingsSchema, type RouterSettings, type RouterSettingsInput } from "./settings";

export interface Router {
  readonly settings: RouterSettings;
  readonly modelVersion: string;
  classifyRequest(request: Pick<ChatCompletionRequest, "messages">): Promise<Classification>;
  route(request: Pick<ChatCompletionRequest, "messages">, ctx?: RouteContext): Promise<RouteDecision>;
}

export interface RouterDeps {
  backend: ScoreBackend;
  /** The same model on sparse features; used instead of `backend` when given (no dense vector built). */
  sparse?: SparseScoreBackend;
  modelVersion: string;
  /** The model's win curve (manifest `winCurve`): what the quality target's net loss credits. */
  winCurve?: WinCurve;
}

export function buildRouter(deps: RouterDeps, settings: RouterSettingsInput = {}): Router {
  const parsed = RouterSettingsSchema.parse(settings);
  const classifyRequest = async (request: Pick<ChatCompletionRequest, "messages">): Promise<Classification> => {
    const input = featureInputFromMessages(request.messages);
    const c = deps.sparse ? await classifySparse(deps.sparse, input, deps.modelVersion) : await classifyInput(deps.backend, input, deps.modelVersion);
    return deps.winCurve ? { ...c, winCurve: deps.winCurve } : c;
  };
  return {
    settings: parsed,
    modelVersion: deps.modelVersion,
    classifyRequest,
    route: async (request, ctx = {}) => decideRoute(await classifyRequest(request), parsed, ctx),
  };
}
