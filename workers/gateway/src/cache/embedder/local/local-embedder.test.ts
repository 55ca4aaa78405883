import { describe, expect, it } from "vitest";
import { cosine } from "../embedder";
import { testEmbedder } from "../../testing/test-embedder";
import { tokenize } from "./tokenize";

describe("LocalEmbedder (shipped artifact)", () => {
  const e = testEmbedder();
  const sim = async (a: string, b: string) => {
    const [x, y] = await e.embed([a, b]);
    return cosine(x as Float32Array, y as Float32Array);
  };

  it("returns unit vectors of the declared size, deterministically", async () => {
    const [a, b] = await e.embed(["Where is my order?", "Where is my order?"]);
    expect(a?.length).toBe(e.dimensions);
    expect(cosine(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
  });

  it("ranks paraphrases and synonyms above unrelated questions", async () => {
    const para = await sim("How do I cancel my subscription?", "How can I cancel my membership?");
    const other = await sim("How do I cancel my subscription?", "What is the weather like in the mountains?");
    expect(para).toBeGreaterThan(0.7);
    expect(para - other).toBeGreaterThan(0.5);
    expect(await sim("The car is fast", "The automobile is quick")).toBeGreaterThan(await sim("The car is fast", "The cat is asleep"));
  });

  it("embeds a bare word as its tokenized form would, and an unknown word alike on every call", async () => {
    const same = async (a: string, b: string) => {
      const [x, y] = await e.embed([a, b]);
      expect(Array.from(x as Float32Array)).toEqual(Array.from(y as Float32Array));
    };
    await same("tempering", "Tempering"); // the fast path for plain words vs the tokenizer
    await same("glimmerstones", " glimmerstones ");
    await same("glimmerstones", "glimmerstones"); // the second lookup comes from the remembered variants
  });

  it("gives an unknown token the same vector in both texts (shared rare words count)", async () => {
    expect(await sim("configure zorblaxify", "set up zorblaxify")).toBeGreaterThan(await sim("configure zorblaxify", "set up quuxinator"));
  });

  it("tokenizes like the GloVe corpus", () => {
    expect(tokenize("Don't touch it’s cable-box, we're here")).toEqual(["do", "not", "touch", "it", "cable", "box", "we", "are", "here"]);
  });
});
