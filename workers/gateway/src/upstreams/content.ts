/**
 * Message content for text-only upstreams (Workers AI text models, TGI prompts). Non-text parts
 * (images, audio, files) are refused with a 400 instead of silently dropped, so the executor
 * falls back to a model that accepts them and the client never gets an answer to half a prompt.
 */
import type { MessageContent } from "../../../../shared/schemas/openai-chat";
import { contentText } from "../../../../shared/schemas/openai-chat";
import { UpstreamError } from "./upstream";

export function requireText(content: MessageContent | null | undefined, provider: string): string {
  if (Array.isArray(content)) {
    const other = content.find((p) => p.type !== "text");
    if (other) throw new UpstreamError(`${provider} accepts text only, not "${other.type}" parts`, { status: 400 });
  }
  return contentText(content);
}
