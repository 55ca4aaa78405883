import { describe, expect, it } from "vitest";
import { contentAccessFor, maskContent } from "./content-access";

describe("contentAccessFor", () => {
  it.each([
    ["viewer", [], "none"],
    ["viewer", ["content:read"], "none"],
    ["service", [], "none"],
    ["developer", [], "redacted"],
    ["admin", [], "redacted"],
    ["developer", ["content:read"], "decrypted"],
    ["admin", ["content:read"], "decrypted"],
  ] as const)("%s with scopes %j -> %s", (role, scopes, want) => {
    expect(contentAccessFor({ role, scopes })).toBe(want);
  });

  it("masks trace content fields by access level", () => {
    const trace = { id: "r1", redacted: "hi <PERSON_1>", encrypted: "gwe1.k1..." };
    expect(maskContent("none", trace)).toEqual({ id: "r1" });
    expect(maskContent("redacted", trace)).toEqual({ id: "r1", redacted: "hi <PERSON_1>" });
    expect(maskContent("decrypted", trace)).toEqual(trace);
  });
});
