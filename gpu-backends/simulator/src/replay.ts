/**
 * Replay mode: recorded (model, prompt) -> response pairs loaded once at start-up, so the hot
 * path is a single Map lookup. A line without `model` matches any model.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const ReplayEntrySchema = z
  .object({
    model: z.string().min(1).optional(),
    prompt: z.string(),
    response: z.string(),
    /** Token logprobs of `response` (o200k tokens, in order), returned for `logprobs: true`; absent = none recorded. */
    logprobs: z.array(z.number().max(0)).optional(),
  })
  .passthrough();
export type ReplayEntry = z.infer<typeof ReplayEntrySchema>;

const ANY_MODEL = "*";
const key = (model: string, prompt: string): string => `${model}\u0000${prompt}`;

export class ReplayIndex {
  private readonly byKey = new Map<string, ReplayEntry>();

  constructor(entries: readonly ReplayEntry[] = []) {
    // Later lines win, so a file can be patched by appending.
    for (const e of entries) this.byKey.set(key(e.model ?? ANY_MODEL, e.prompt), e);
  }

  get size(): number {
    return this.byKey.size;
  }

  entry(model: string, prompt: string): ReplayEntry | undefined {
    if (this.byKey.size === 0) return undefined;
    return this.byKey.get(key(model, prompt)) ?? this.byKey.get(key(ANY_MODEL, prompt));
  }

  lookup(model: string, prompt: string): string | undefined {
    return this.entry(model, prompt)?.response;
  }
}

export function parseReplayJsonl(text: string, source = "replay"): ReplayEntry[] {
  const entries: ReplayEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not JSON`);
    }
    const parsed = ReplayEntrySchema.safeParse(json);
    if (!parsed.success) throw new Error(`${source}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    entries.push(parsed.data);
  }
  return entries;
}

export const loadReplayFile = (path: string): ReplayEntry[] => parseReplayJsonl(readFileSync(path, "utf8"), path);
