/**
 * Document placeholders are numbered per document: `<DOC_PERSON_1>` of one document and of
 * another are different people. Before chunks of several documents go to the model together,
 * their placeholders are renumbered across the request (first seen, first numbered), so every
 * placeholder the answer echoes names one (document, placeholder) pair, and restoring the
 * answer cannot put one document's value where another's was meant.
 */
import type { ScreenedChunk } from "../grounding/screen-chunks";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import type { GuardrailSettings } from "../../guardrails/settings";
import { DOC_PLACEHOLDER, replaceDocPlaceholders, type Originals } from "./document-pii";

export interface PlaceholderRef {
  documentId: string;
  contentHash: string;
  placeholder: string;
}

export function numberGroundedPlaceholders(kept: readonly ScreenedChunk[]): { kept: ScreenedChunk[]; refs: Map<string, PlaceholderRef> } {
  const refs = new Map<string, PlaceholderRef>();
  const issued = new Map<string, string>();
  const counters = new Map<string, number>();
  const renumber = (text: string, documentId: string, contentHash: string): string =>
    text.replace(DOC_PLACEHOLDER, (m, type: string) => {
      const key = `${documentId}\u0000${m}`;
      let mine = issued.get(key);
      if (mine === undefined) {
        const n = (counters.get(type) ?? 0) + 1;
        counters.set(type, n);
        mine = `<DOC_${type}_${n}>`;
        issued.set(key, mine);
        refs.set(mine, { documentId, contentHash, placeholder: m });
      }
      return mine;
    });
  return {
    kept: kept.map((k) => {
      const c = k.hit.chunk;
      if (!`${c.heading}${c.text}`.includes("<DOC_")) return k;
      const chunk = { ...c, heading: renumber(c.heading, c.documentId, c.contentHash), text: renumber(c.text, c.documentId, c.contentHash) };
      return { ...k, hit: { ...k.hit, chunk } };
    }),
    refs,
  };
}

export type AnswerRestorer = (text: string) => Promise<string>;

/**
 * Restores the request-numbered placeholders in an answer. The vaults are opened on the first
 * answer that holds a placeholder (most answers hold none, and then nothing is decrypted).
 */
export function groundedAnswerRestorer(refs: ReadonlyMap<string, PlaceholderRef>, open: (versions: PlaceholderRef[]) => Promise<Map<string, Originals>>, settings: GuardrailSettings, hashKey: PiiHashKey): AnswerRestorer {
  let vaults: Promise<Map<string, Originals>> | undefined;
  return async (text) => {
    if (refs.size === 0 || !text.includes("<DOC_")) return text;
    const opened = await (vaults ??= open([...refs.values()]));
    return replaceDocPlaceholders(
      text,
      (m) => {
        const ref = refs.get(m);
        return ref ? opened.get(ref.documentId)?.get(ref.placeholder) : undefined;
      },
      settings,
      hashKey,
    );
  };
}
