/**
 * Post-processing of the model's answer before the client sees it (placeholder restore,
 * output PII scanning). Streams get one filter per text channel (a choice's content, a tool
 * call's arguments), because a placeholder can straddle chunk boundaries.
 */
export interface TextFilter {
  push(delta: string): string;
  flush(): string;
}

export interface OutputFilter {
  /** Whole-text transform for non-streamed answers. */
  text(value: string): string;
  /** A fresh incremental filter for one streamed channel. */
  stream(): TextFilter;
}

export const IDENTITY_FILTER: OutputFilter = {
  text: (v) => v,
  stream: () => ({ push: (d) => d, flush: () => "" }),
};
