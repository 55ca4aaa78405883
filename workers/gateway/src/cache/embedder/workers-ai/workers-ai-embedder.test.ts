import { describe, expect, it } from "vitest";
import { embedderChoice } from "../create-embedder-choice";
import { WorkersAiEmbedder } from "./workers-ai-embedder";

describe("WorkersAiEmbedder", () => {
  it("calls the binding once per batch and unit-normalizes", async () => {
    const calls: unknown[] = [];
    const ai = { run: async (model: string, input: { text: string[] }) => (calls.push([model, input]), { shape: [2, 3], data: [[3, 4, 0], [0, 0, 2]] }) };
    const e = new WorkersAiEmbedder(ai, "@cf/baai/bge-base-en-v1.5");
    const [a, b] = await e.embed(["x", "y"]);
    expect(calls).toEqual([["@cf/baai/bge-base-en-v1.5", { text: ["x", "y"] }]]);
    expect(Array.from(a ?? [])).toEqual([0.6000000238418579, 0.800000011920929, 0]);
    expect(Array.from(b ?? [])).toEqual([0, 0, 1]);
    expect(e).toMatchObject({ dimensions: 768, id: "workers-ai:@cf/baai/bge-base-en-v1.5" });
  });

  it("rejects malformed output", async () => {
    const e = new WorkersAiEmbedder({ run: async () => ({ data: "nope" }) });
    await expect(e.embed(["x"])).rejects.toThrow();
  });

  it("is chosen only when the config var asks for it", () => {
    expect(embedderChoice(undefined)).toEqual({ kind: "local" });
    expect(embedderChoice("local")).toEqual({ kind: "local" });
    expect(embedderChoice("workers-ai")).toEqual({ kind: "workers-ai", model: "@cf/baai/bge-base-en-v1.5" });
    expect(embedderChoice("workers-ai:bge-m3")).toEqual({ kind: "workers-ai", model: "@cf/baai/bge-m3" });
  });
});
