/** Router rollout (GET /v1/router/rollout): control vs candidate, the mode in force, verdicts. */
import { get } from "../api";
import { facts, h, jsonView, notice, table } from "../dom";
import { when } from "../format";
import type { Page } from "../router";
import type { RouterRolloutStatus } from "../types";

export const rolloutPage: Page = {
  title: "Router rollout",
  async render() {
    const r = await get<RouterRolloutStatus>("/v1/router/rollout");
    const { mode, candidateVersion, candidate, ...arms } = r.configured;
    return [
      facts([
        ["Configured mode", mode],
        ["In force", r.effectiveMode === mode ? r.effectiveMode : `${r.effectiveMode} (the candidate was rolled back)`],
        ["Candidate version", candidateVersion ?? "—"],
      ]),
      h("h2", {}, "Control vs candidate"),
      h("p", {}, "The candidate is the shipped router with these settings over the control's (an absent field keeps the control's value)."),
      jsonView(candidate ?? {}),
      h("h2", {}, "Arms and rollout settings"),
      jsonView(arms),
      h("h2", {}, "Verdicts"),
      r.verdicts.length
        ? table(["Decided", "Candidate", "Verdict", "Reasons", "Stats"], r.verdicts.map((v) => [when(v.decidedAt), v.candidateVersion, h("span", { class: `verdict ${v.status}` }, v.status), v.reasons.join("; ") || "—", jsonView(v.stats)]))
        : notice("info", "No verdicts yet: the evaluator decides every few minutes once both arms have traffic."),
    ];
  },
};
