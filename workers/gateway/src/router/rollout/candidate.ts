/**
 * The gateway side of a rollout: the candidate router built from the tenant's router settings,
 * the per-request pair that classifies once when both arms share the shipped model, and the
 * config actually in force once the evaluator's rollback markers are applied.
 */
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import type { Classification } from "../classify";
import { decideRoute } from "../policy";
import type { Router } from "../router";
import type { RouterRollout, RouterSettings } from "../settings";

/**
 * Control settings with the candidate's overrides on top. The candidate's own rollout is off
 * so nothing recurses; perTenant/perFeature layers still apply on top at decision time.
 */
export function candidateSettings(control: RouterSettings): RouterSettings {
  const o = control.rollout.candidate;
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    ...control,
    ...defined,
    minTierByIntent: { ...control.minTierByIntent, ...(o.minTierByIntent ?? {}) },
    rollout: { ...control.rollout, mode: "off" },
  };
}

type Req = Pick<ChatCompletionRequest, "messages">;

/**
 * Both arms of one request. With the same model, classification (featurize + ORT) runs once
 * and only the policy differs, so shadow mode costs a second `decideRoute`, not a second model run.
 */
export function rolloutPair(control: Router, candidate: Router | null, request: Req): [Router, Router | null] {
  if (!candidate || candidate.modelVersion !== control.modelVersion) return [control, candidate];
  let pending: Promise<Classification> | undefined;
  const classify = (): Promise<Classification> => (pending ??= control.classifyRequest(request));
  const wrap = (r: Router): Router => ({
    settings: r.settings,
    modelVersion: r.modelVersion,
    classifyRequest: classify,
    route: async (_req, ctx = {}) => decideRoute(await classify(), r.settings, ctx),
  });
  return [wrap(control), wrap(candidate)];
}

/**
 * The rollout in force: a canary whose version the evaluator rolled back only shadows (its
 * decisions stay visible, control serves). `rolledBack` null = markers unreadable: the
 * candidate is unproven, so control serves until they can be read again.
 */
export function effectiveRollout(rollout: RouterRollout, rolledBack: ReadonlySet<string> | null): RouterRollout {
  if (rollout.mode !== "canary" || !rollout.candidateVersion) return rollout;
  if (rolledBack === null || rolledBack.has(rollout.candidateVersion)) return { ...rollout, mode: "shadow" };
  return rollout;
}
