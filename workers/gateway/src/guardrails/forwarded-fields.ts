/**
 * First step of the input guardrails: the request cut down to the fields the gateway knows
 * (shared/schemas/openai-chat-fields.ts), so redaction walks everything that can reach an
 * upstream and nothing else rides along. A field that cannot be honoured is a 400 in every
 * mode; a field that is merely not forwarded is dropped, or a 400 for strict tenants.
 */
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { projectChatRequest, type FieldIssue } from "../../../../shared/schemas/openai-chat-fields";

export interface ForwardedFields {
  request: ChatCompletionRequest;
  /** How many fields were left out (their names are the client's own keys: not kept anywhere). */
  dropped: number;
}

/** Client-chosen keys can be long: an error quotes at most this much of a path. */
const MAX_PATH = 200;

const REJECTED: Record<string, string> = {
  functions: "'functions' (legacy function calling) is not supported here: send 'tools' instead.",
  function_call: "'function_call' (legacy function calling) is not supported here: send 'tool_choice' instead.",
  audio: "Audio output is not supported here: the gateway answers text (omit 'audio').",
  modalities: "Only the text modality is supported here: the gateway answers text (omit 'modalities' or send [\"text\"]).",
};

function rejection(issue: FieldIssue, path: string): GatewayError {
  const top = REJECTED[issue.path];
  if (top) return new GatewayError("invalid_request", top, { param: path, code: "unsupported_parameter" });
  // The only nested rejection: a content part type the gateway cannot read (dropping it would
  // answer half a prompt).
  return new GatewayError("invalid_request", `${path}: unsupported content part type. Supported: text, image_url, input_audio, file, refusal.`, {
    param: path,
    code: "unsupported_value",
  });
}

function strictError(issue: FieldIssue, path: string): GatewayError {
  if (issue.kind === "dropped") {
    return new GatewayError("invalid_request", `'${path}' is not forwarded by this gateway, and this tenant rejects parameters that would have no effect (guardrails.strictFields).`, {
      param: path,
      code: "unsupported_parameter",
    });
  }
  return new GatewayError("invalid_request", `Unrecognized request argument supplied: '${path}'. This tenant rejects unknown parameters (guardrails.strictFields).`, {
    param: path,
    code: "unknown_parameter",
  });
}

export function forwardedFields(request: ChatCompletionRequest, strict: boolean): ForwardedFields {
  let dropped = 0;
  let first: FieldIssue | undefined;
  let rejected: FieldIssue | undefined;
  const projected = projectChatRequest(request, (issue) => {
    if (issue.kind === "rejected") rejected ??= issue;
    else dropped++;
    first ??= issue;
  });
  if (rejected) throw rejection(rejected, rejected.path.slice(0, MAX_PATH));
  if (strict && first) throw strictError(first, first.path.slice(0, MAX_PATH));
  return { request: projected, dropped };
}
