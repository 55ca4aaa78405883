import { describe, expect, it } from "vitest";
import { diff, groupSnapshot } from "./heap";

/** A V8 heap snapshot in its wire layout (nodes flattened, names as string indices), made up. */
function snapshot(nodes: Array<[type: number, name: string, size: number]>) {
  const strings: string[] = [];
  const index = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  return {
    snapshot: { meta: { node_fields: ["type", "name", "id", "self_size", "edge_count"], node_types: [["hidden", "array", "string", "object", "code", "closure"]] as [string[]] } },
    nodes: nodes.flatMap(([type, name, size], i) => [type, index(name), i + 1, size, 0]),
    strings,
  };
}

describe("heap snapshot groups", () => {
  it("counts objects by constructor and strings by type", () => {
    const groups = groupSnapshot(snapshot([[3, "Map", 100], [3, "Map", 50], [2, "hello", 24], [2, "world", 24], [5, "fetch", 64]]));
    expect(groups).toEqual(
      expect.arrayContaining([
        { key: "object:Map", count: 2, bytes: 150 },
        { key: "string", count: 2, bytes: 48 },
        { key: "closure:fetch", count: 1, bytes: 64 },
      ]),
    );
  });

  it("lists what grew, largest first, and leaves out what shrank", () => {
    const before = groupSnapshot(snapshot([[3, "Map", 100], [3, "Entry", 10], [2, "s", 500]]));
    const after = groupSnapshot(snapshot([[3, "Map", 100], [3, "Entry", 10], [3, "Entry", 10], [3, "Entry", 10], [3, "Span", 400], [2, "s", 100]]));
    expect(diff(before, after)).toEqual([
      { key: "object:Span", countDelta: 1, bytesDelta: 400, countAfter: 1 },
      { key: "object:Entry", countDelta: 2, bytesDelta: 20, countAfter: 3 },
    ]);
  });
});
