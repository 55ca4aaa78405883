/** The shipped local embedder for Node tests (the Worker imports the same file via wrangler's Data rule). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LocalEmbedder } from "../embedder/local/local-embedder";

let shared: LocalEmbedder | undefined;

export function testEmbedder(): LocalEmbedder {
  shared ??= new LocalEmbedder(readFileSync(resolve(import.meta.dirname, "../embedder/local/glove-sif-int8.bin")));
  return shared;
}
