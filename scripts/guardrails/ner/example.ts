/** A training/evaluation example: a text and its entity spans (character offsets, end exclusive). */
import type { TaggedType } from "../../../workers/gateway/src/guardrails/pii/tagger/decode";
import type { PiiEntityType } from "../../../workers/gateway/src/guardrails/types";

export interface Span {
  /** The tagger's four types, or a structured type the generator planted (phone, card, ...). */
  type: TaggedType | PiiEntityType;
  start: number;
  end: number;
}

export interface Example {
  text: string;
  spans: Span[];
  /** Dataset or template group, e.g. "wnut17-train", "gen-train:t12". */
  source: string;
}

/** Builds text + spans from pieces: strings are plain text, tuples are [value, type|null]. */
export class ExampleBuilder {
  text = "";
  spans: Span[] = [];
  add(value: string, type: Span["type"] | null = null): this {
    if (type && value.length > 0) this.spans.push({ type, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }
  /** "{FIRST} {LAST}" written as two slots is one name: same-type spans one space apart merge. */
  build(source: string): Example {
    const spans: Span[] = [];
    for (const s of this.spans) {
      const prev = spans[spans.length - 1];
      if (prev && prev.type === s.type && s.type === "PERSON" && this.text.slice(prev.end, s.start) === " ") prev.end = s.end;
      else spans.push({ ...s });
    }
    return { text: this.text, spans, source };
  }
}
