import { describe, expect, it } from "vitest";
import { acronymLinks, aliasPhrases, canonicalKeys, droppedGivenName } from "./entities";
import { canonicalEntity } from "./entity-aliases";

describe("entity equivalences", () => {
  it("folds countries, demonyms and short names to one key", () => {
    expect(canonicalEntity("syrians")).toBe("syria");
    expect(canonicalEntity("united states")).toBe("us");
    expect(canonicalEntity("american")).toBe("us");
    expect(canonicalEntity("british")).toBe("uk");
    expect(canonicalEntity("paris")).toBe("paris");
    expect(canonicalKeys(["the", "united", "states"]).has("us")).toBe(true);
    expect(aliasPhrases(["the", "european", "union", "said"])).toEqual(["european union"]);
  });

  it("links an acronym to the words it abbreviates, connectors allowed inside only", () => {
    expect(acronymLinks(["FBI"], "the federal bureau of investigation said".split(" "))).toEqual([
      { acronym: "fbi", expansion: ["federal", "bureau", "investigation"] },
    ]);
    expect(acronymLinks(["SC"], "the senate committee".split(" "))).toEqual([{ acronym: "sc", expansion: ["senate", "committee"] }]);
    expect(acronymLinks(["SC"], "a supreme federal court".split(" "))).toEqual([]);
    expect(acronymLinks(["Kenya"], "kenya".split(" "))).toEqual([]);
  });

  it("accepts a dropped given name only when no other name takes its place", () => {
    expect(droppedGivenName(["Bill", "De", "Blasio"], 0, ["De", "Blasio", "won"])).toBe(true);
    expect(droppedGivenName(["Timothy", "J", "Muris"], 0, ["said", "Muris"])).toBe(true);
    expect(droppedGivenName(["John", "Smith"], 0, ["ask", "Jane", "Smith"])).toBe(false);
    expect(droppedGivenName(["Supreme", "Court"], 0, ["the", "Court"])).toBe(false);
    expect(droppedGivenName(["Bill", "Gates"], 0, ["bill", "gates"])).toBe(false);
  });
});
