/** Rows as gzip-compressed NDJSON (CompressionStream: in Workers and Node alike). */
export async function encodeRows(rows: readonly unknown[]): Promise<Uint8Array> {
  const text = rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function decodeRows(gz: ReadableStream<Uint8Array> | ArrayBuffer | Uint8Array): Promise<unknown[]> {
  const source = gz instanceof ReadableStream ? gz : new Blob([gz]).stream();
  const text = await new Response(source.pipeThrough(new DecompressionStream("gzip"))).text();
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as unknown);
}
