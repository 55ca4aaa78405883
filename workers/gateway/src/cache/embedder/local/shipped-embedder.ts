/** The Worker-side entry: the artifact bundled by wrangler's Data rule, decoded once per isolate. */
import artifact from "./glove-sif-int8.bin";
import { LocalEmbedder } from "./local-embedder";

let shared: LocalEmbedder | undefined;

export function shippedLocalEmbedder(): LocalEmbedder {
  shared ??= new LocalEmbedder(artifact);
  return shared;
}
