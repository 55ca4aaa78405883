/**
 * Whether a judged answer is one a router label may be compared against (SQL over D1's
 * `evaluations` and `request_traces`). An answer that is a tool call (no text: the evaluator's
 * checks mark it empty and the panel scores it 1, judge/panel.ts emptyAnswerResult), an empty
 * one, or one cut off (checks `truncated`; finish reason `length`) was not judged on what the
 * model can do with the prompt, so its low score says nothing about the other tier's answer:
 * a pair against it would hand the small tier ties and wins it did not earn (a review measured
 * 0 losses and 19 wins out of 39 labels where the unpaired rule gave 20 losses). The finish
 * reason is read from the answer's trace (`decisions.finishReason`), when it has one; checks
 * alone catch a pure tool call (empty) and a `length` stop (truncated).
 */

/** True (1) when evaluation `evaluation` (its trace LEFT JOINed as `trace`) judged real, whole text. */
export function judgedOnRealText(evaluation: string, trace: string): string {
  return `(COALESCE(json_extract(${evaluation}.checks_json, '$.empty'), 0) = 0 AND COALESCE(json_extract(${evaluation}.checks_json, '$.truncated'), 0) = 0
    AND COALESCE(json_extract(${trace}.trace_json, '$.decisions.finishReason'), '') NOT IN ('tool_calls', 'length'))`;
}
