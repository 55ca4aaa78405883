/**
 * Resolves a prompt reference (id + version | label, default label `production`) for the
 * caller and renders it with the request's variables. Shared by the chat pipeline and
 * POST /v1/prompts/:id/render, so a preview renders exactly what a chat request would send.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { labelledVersion, promptRow, type PromptCaller } from "./prompt-reads";
import { parseValues, render, TemplateMessageSchema, VariableSchema, MAX_RENDERED_CHARS, type TemplateMessage } from "./template";

export const DEFAULT_LABEL = "production";

export interface PromptSelector {
  id: string;
  version?: number | undefined;
  label?: string | undefined;
  variables: Record<string, unknown>;
}

export interface RenderedPrompt {
  id: string;
  version: number;
  /** The label the version was reached through; null when the request named a version. */
  label: string | null;
  feature: string | null;
  messages: TemplateMessage[];
}

const StoredSchema = z.object({ messages_json: z.string(), variables_json: z.string() });

/** `param` prefixes error params: "prompt" in a chat request, "" on the render route. */
export async function renderPrompt(db: D1Database, caller: PromptCaller, ref: PromptSelector, param: string): Promise<RenderedPrompt> {
  const at = (p: string) => (param ? `${param}.${p}` : p);
  const prompt = await promptRow(db, caller, ref.id).catch((err: unknown) => {
    throw err instanceof GatewayError ? new GatewayError(err.kind, err.message, { param: at("id"), code: err.code }) : err;
  });
  const label = ref.version === undefined ? (ref.label ?? DEFAULT_LABEL) : null;
  const version = label === null ? (ref.version as number) : await labelledVersion(db, caller, prompt, label).catch((err: unknown) => {
    throw err instanceof GatewayError ? new GatewayError(err.kind, err.message, { param: at("label"), code: err.code }) : err;
  });
  const raw = await db.prepare("SELECT messages_json, variables_json FROM prompt_versions WHERE tenant_id = ?1 AND prompt_id = ?2 AND version = ?3").bind(caller.tenantId, prompt.id, version).first();
  if (!raw) {
    throw new GatewayError("not_found", `Prompt ${JSON.stringify(prompt.id)} has no version ${version} (latest is ${prompt.latest_version}).`, { param: at("version"), code: "prompt_version_not_found" });
  }
  const stored = StoredSchema.parse(raw);
  const variables = z.array(VariableSchema).parse(JSON.parse(stored.variables_json));
  const values = parseValues(variables, ref.variables);
  if (!values.ok) {
    throw new GatewayError("invalid_request", `${at("variables")}: ${values.problem.message}`, { param: at(`variables.${values.problem.path.join(".")}`), code: "invalid_prompt_variables" });
  }
  const messages = render(z.array(TemplateMessageSchema).parse(JSON.parse(stored.messages_json)), values.values);
  if (!messages) throw new GatewayError("invalid_request", `${at("variables")}: the rendered prompt would exceed ${MAX_RENDERED_CHARS} characters.`, { param: at("variables"), code: "prompt_too_large" });
  return { id: prompt.id, version, label, feature: prompt.feature, messages };
}
