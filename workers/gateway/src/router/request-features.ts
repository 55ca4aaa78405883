/** What the router reads from a (redacted) chat request: the last user turn plus earlier turns as context. */
import { contentText, type ChatMessage } from "../../../../shared/schemas/openai-chat";
import type { FeatureInput } from "./features/featurize";

export function featureInputFromMessages(messages: readonly ChatMessage[]): FeatureInput {
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") (last = i), (i = -1);
  const prompt = last >= 0 ? contentText(messages[last]!.content) : "";
  const context = messages
    .filter((_, i) => i !== last)
    .map((m) => `${m.role}: ${contentText(m.content ?? null)}`)
    .join("\n");
  return context ? { prompt, context } : { prompt };
}
