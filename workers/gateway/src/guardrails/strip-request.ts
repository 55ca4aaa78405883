import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { stripInvisible } from "./invisible";
import { redactJsonText } from "./redact/redact-json";
import { mapRequestTexts } from "./request-texts";

// Tool-call arguments can spell invisible characters as JSON escapes ("\udb40\udc41"); only
// then is the JSON parsed and rewritten, so ordinary arguments keep their exact bytes.
const MAY_HIDE = /[^\x00-\x7F]|\\u/i;

/**
 * The request as forwarded upstream: hidden-text carriers and bidi controls removed from every
 * text. The same object comes back when there was nothing to strip.
 */
export function stripInvisibleRequest(request: ChatCompletionRequest): ChatCompletionRequest {
  let changed = false;
  const track = (before: string, after: string): string => {
    if (after !== before) changed = true;
    return after;
  };
  const out = mapRequestTexts(request, {
    text: (s) => track(s, stripInvisible(s)),
    json: (raw) => track(raw, MAY_HIDE.test(raw) ? stripJson(raw) : raw),
    identifier: (s) => track(s, stripInvisible(s)),
  });
  return changed ? out : request;
}

/** Arguments keep their exact bytes unless a leaf really changed. */
function stripJson(raw: string): string {
  let leafChanged = false;
  const out = redactJsonText(raw, (leaf) => {
    const s = stripInvisible(leaf);
    if (s !== leaf) leafChanged = true;
    return s;
  });
  return leafChanged ? out : raw;
}
