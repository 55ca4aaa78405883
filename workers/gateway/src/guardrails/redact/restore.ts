import { PLACEHOLDER, type PiiVault } from "./vault";

/** Replaces placeholders this request issued with their originals; unknown ones stay as they are. */
export function restoreText(text: string, vault: PiiVault): string {
  if (vault.size === 0 || !text.includes("<")) return text;
  return text.replace(PLACEHOLDER, (m) => vault.original(m) ?? m);
}

export interface StreamRestorer {
  push(delta: string): string;
  flush(): string;
}

/** Longest placeholder we ever issue: "<" + longest type name + "_" + 6 digits + ">". */
const MAX_PLACEHOLDER = 40;
const PARTIAL = /^<[A-Z_]*\d{0,6}$/;

/**
 * Splits streamed text into what can go out now and a tail that could still become a
 * placeholder ("<PER" waiting for "SON_1>"). Shared by the request's own restorer and the
 * grounded-answer restorer (rag/restore/restore-stream.ts), whose placeholders look alike.
 */
export function holdPartialPlaceholder(buf: string): { ready: string; held: string } {
  const lt = buf.lastIndexOf("<");
  if (lt >= 0 && buf.length - lt <= MAX_PLACEHOLDER && PARTIAL.test(buf.slice(lt))) return { ready: buf.slice(0, lt), held: buf.slice(lt) };
  return { ready: buf, held: "" };
}

/**
 * Restores placeholders in a stream of deltas. Holds back only a tail that could still become
 * a placeholder; everything else is emitted at once, so latency added is at most one
 * placeholder's worth of characters. One restorer per choice content and per tool-call
 * arguments stream: interleaving two streams in one restorer would splice them.
 */
export function createStreamRestorer(vault: PiiVault): StreamRestorer {
  let held = "";
  return {
    push(delta: string): string {
      if (vault.size === 0) return delta;
      const split = holdPartialPlaceholder(held + delta);
      held = split.held;
      return restoreText(split.ready, vault);
    },
    flush(): string {
      const out = restoreText(held, vault);
      held = "";
      return out;
    },
  };
}
