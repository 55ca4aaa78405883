/**
 * Indirect prompt injection (OWASP LLM01): every retrieved chunk is third-party text, screened
 * with the injection screen's `tool` calibration (the one for tool results and documents) at
 * the tenant's threshold. Per the tenant's injection action, a chunk that carries instructions
 * is dropped ("block") or kept but quoted as data ("flag"); either way the trace says which
 * chunk, its score and the rules that fired.
 */
import { scoreText } from "../../guardrails/injection/screen";
import type { GuardrailSettings } from "../../guardrails/settings";
import type { SearchHit } from "../retrieve/search";

export interface ScreenedChunk {
  hit: SearchHit;
  /** "quoted": kept, but wrapped as quoted data with a warning. */
  treatment: "plain" | "quoted";
  injectionScore: number;
}

export interface DroppedChunk {
  chunkId: string;
  documentId: string;
  reason: "injection";
  score: number;
  rules: string[];
}

export function screenChunks(hits: readonly SearchHit[], settings: GuardrailSettings["injection"]): { kept: ScreenedChunk[]; dropped: DroppedChunk[] } {
  const kept: ScreenedChunk[] = [];
  const dropped: DroppedChunk[] = [];
  for (const hit of hits) {
    if (!settings.enabled) {
      kept.push({ hit, treatment: "plain", injectionScore: 0 });
      continue;
    }
    const s = scoreText(`${hit.chunk.heading}\n${hit.chunk.text}`, settings.threshold, "tool");
    if (s.label !== "injection") kept.push({ hit, treatment: "plain", injectionScore: s.score });
    else if (settings.action === "flag") kept.push({ hit, treatment: "quoted", injectionScore: s.score });
    else dropped.push({ chunkId: hit.chunk.chunkId, documentId: hit.chunk.documentId, reason: "injection", score: s.score, rules: s.reasons });
  }
  return { kept, dropped };
}
