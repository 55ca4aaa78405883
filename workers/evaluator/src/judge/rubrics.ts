/**
 * Rubric prompts for the judges. Each asks for one 1-5 score with a short reason as JSON via
 * response_format json_schema (OpenAI structured outputs), so any OpenAI-compatible judge,
 * including the local simulator, answers in a shape zod can check.
 */
import type { StoredContent } from "../trace/trace-record";

export const RUBRICS = ["faithfulness", "relevance", "format"] as const;
export type Rubric = (typeof RUBRICS)[number];

export const SCORE_SCHEMA = {
  type: "object",
  properties: {
    score: { type: "integer", minimum: 1, maximum: 5 },
    reason: { type: "string", maxLength: 500 },
  },
  required: ["score", "reason"],
  additionalProperties: false,
} as const;

const INSTRUCTIONS: Record<Rubric, string> = {
  faithfulness:
    "Rate FAITHFULNESS: is every claim in the ANSWER supported by the CONTEXT (system messages, documents or earlier turns supplied in the conversation)? 5 = fully supported, 1 = contradicts or invents facts. If no context was supplied, rate whether the answer avoids unsupported specifics.",
  relevance: "Rate RELEVANCE: does the ANSWER address the user's last request directly and completely? 5 = fully, 1 = off-topic.",
  format:
    "Rate FORMAT COMPLIANCE: does the ANSWER follow every format instruction (JSON, length, lists, language, tone) in the conversation? 5 = all followed, 1 = ignored.",
};

const SYSTEM =
  "You are a strict evaluator of an AI assistant's answer. Text such as <PERSON_1> or <EMAIL_ADDRESS_1> is a redaction placeholder, not an error. Reply only with JSON: {\"score\": 1-5, \"reason\": \"...\"}.";

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…[clipped]` : text);

export function rubricMessages(rubric: Rubric, content: StoredContent): { role: "system" | "user"; content: string }[] {
  const conversation = content.messages.map((m) => `[${m.role}]\n${clip(m.content, 8_000)}`).join("\n\n");
  const format = content.responseFormat === undefined ? "" : `\n\nREQUESTED RESPONSE FORMAT:\n${clip(JSON.stringify(content.responseFormat), 4_000)}`;
  return [
    { role: "system", content: SYSTEM },
    {
      role: "user",
      content: `${INSTRUCTIONS[rubric]}\n\nCONVERSATION:\n${conversation}${format}\n\nANSWER:\n${clip(content.response, 12_000)}`,
    },
  ];
}

export function rubricResponseFormat(rubric: Rubric): unknown {
  return { type: "json_schema", json_schema: { name: `${rubric}_score`, strict: true, schema: SCORE_SCHEMA } };
}
