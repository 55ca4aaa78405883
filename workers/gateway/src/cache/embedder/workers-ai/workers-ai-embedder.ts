/**
 * Embedder over Workers AI (production option): BGE base (768-d) or BGE-M3 (1024-d,
 * multilingual). The binding returns `{ shape, data: number[][] }`; validated, then unit-normalized
 * so scores stay cosines whatever the model does.
 * https://developers.cloudflare.com/workers-ai/models/bge-base-en-v1.5/
 */
import { z } from "zod";
import { normalize, type Embedder } from "../embedder";

export const WORKERS_AI_MODELS = { "@cf/baai/bge-base-en-v1.5": 768, "@cf/baai/bge-m3": 1024 } as const;
export type WorkersAiModel = keyof typeof WORKERS_AI_MODELS;

const OutputSchema = z.object({ data: z.array(z.array(z.number())) });

/** The subset of the AI binding this embedder calls (kept narrow so tests can fake it). */
export interface AiRunner {
  run(model: string, input: { text: string[] }): Promise<unknown>;
}

export class WorkersAiEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(private readonly ai: AiRunner, private readonly model: WorkersAiModel = "@cf/baai/bge-base-en-v1.5") {
    this.id = `workers-ai:${model}`;
    this.dimensions = WORKERS_AI_MODELS[model];
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const out = OutputSchema.parse(await this.ai.run(this.model, { text: texts }));
    if (out.data.length !== texts.length) throw new Error("workers-ai embedder: wrong number of vectors");
    return out.data.map((v) => normalize(Float32Array.from(v)));
  }
}
