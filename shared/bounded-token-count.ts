/**
 * "Does this text fit in N tokens?", answered as cheaply as the question allows. Used for
 * context windows (chat) and per-input limits (embeddings) before any guardrail reads the text,
 * so an oversized request costs at most one window's worth of tokenizing, not the tagger's time
 * on megabytes.
 *
 * Cheap first, exact only when it matters: a byte-level BPE token covers at least one UTF-8
 * byte, so 3 x the UTF-16 length (free), then the UTF-8 length (one pass), bound the tokens for
 * any such tokenizer. Only texts whose bound does not fit are counted, with cl100k_base
 * (shared/tokens.ts), in pieces, and only until the count is past the limit asked about (a later,
 * larger limit resumes the count). The count is cl100k's, not the upstream's own tokenizer, so
 * within a few percent of a limit the upstream has the last word.
 */
import { countTokens } from "./tokens";

/** Counted in pieces about this long (cut at a space), so counting can stop early. */
const PIECE_CHARS = 16_384;

export class BoundedTokenCount {
  private chars = -1;
  private bytes = -1;
  private counted: number;
  private text = 0;
  private offset = 0;

  /** `framing`: tokens added around the texts (chat's per-message markup); counted up front. */
  constructor(
    private readonly texts: readonly string[],
    private readonly framing = 0,
  ) {
    this.counted = framing;
  }

  /** Whether the texts take at most `limit` tokens. */
  fitsIn(limit: number): boolean {
    if (this.chars < 0) this.chars = this.texts.reduce((n, t) => n + t.length, 0);
    if (this.framing + 3 * this.chars <= limit) return true;
    if (this.bytes < 0) this.bytes = this.texts.reduce((n, t) => n + utf8Length(t), 0);
    if (this.framing + this.bytes <= limit) return true;
    return this.countPast(limit) <= limit;
  }

  /** Counted so far; `complete` when every text was counted. */
  get known(): { tokens: number; complete: boolean } {
    return { tokens: this.counted, complete: this.text >= this.texts.length };
  }

  /** Counts on until past `limit` or the end; returns the tokens counted. */
  private countPast(limit: number): number {
    while (this.counted <= limit && this.text < this.texts.length) {
      const t = this.texts[this.text] as string;
      let end = Math.min(t.length, this.offset + PIECE_CHARS);
      if (end < t.length) {
        const space = t.lastIndexOf(" ", end);
        if (space > this.offset) end = space;
      }
      this.counted += countTokens(t.slice(this.offset, end));
      this.offset = end;
      if (this.offset >= t.length) {
        this.text++;
        this.offset = 0;
      }
    }
    return this.counted;
  }
}

export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // U+0080..U+07FF: 2 bytes, other BMP: 3, a surrogate pair (2 units): 4.
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}
