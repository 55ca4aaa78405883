import { describe, expect, it } from "vitest";
import { mapJsonTree } from "./json-tree";
import { redactText } from "./redact/redact-text";
import { PiiVault } from "./redact/vault";
import { GuardrailSettingsSchema } from "./settings";
import { testHashKey } from "./testing/hash-key";

const pii = GuardrailSettingsSchema.parse({}).pii;
const redact = (value: string, key: string): string => redactText(value, pii, new PiiVault(), testHashKey("salt"), key).text;

/** Records every leaf the mapper is asked about, and redacts with the real policy. */
function recording(): { seen: Array<[string, string]>; map: (value: string, key: string) => string } {
  const seen: Array<[string, string]> = [];
  return { seen, map: (value, key) => (seen.push([key, value]), redact(value, key)) };
}

describe("mapJsonTree skip rules", () => {
  it("does not send schema vocabulary, declared required names or short bounds to the detector", () => {
    const { seen, map } = recording();
    const schema = {
      type: "object",
      properties: { city: { type: ["string", "null"], format: "hostname", maxLength: 80 }, nights: { type: "integer", minimum: 1, maximum: 365 } },
      required: ["city", "nights"],
    };
    expect(mapJsonTree(schema, map, "p")).toEqual(schema);
    expect(seen).toEqual([]);
  });

  it("still maps a `required` entry that is not a declared property (a token hidden there)", () => {
    const { seen, map } = recording();
    const token = "ghp_Q7rT2mWx9LkP4sVb8NcZ1yHd6FjA3eUo5GiR";
    const out = mapJsonTree({ type: "object", properties: { note: { type: "string" } }, required: ["note", token] }, map, "p");
    expect(seen).toEqual([["required", token]]);
    expect(JSON.stringify(out)).not.toContain(token);
    // Without `properties` nothing is declared, so every entry goes to the detector.
    const bare = recording();
    mapJsonTree({ required: ["note"] }, bare.map, "p");
    expect(bare.seen).toEqual([["required", "note"]]);
  });

  it("still maps words outside the type/format vocabulary under those keys", () => {
    const { seen, map } = recording();
    const out = mapJsonTree({ type: "call Marguerite Okonkwo-Bell on +44 20 7946 0321", format: "date" }, map, "p");
    expect(seen.map(([k]) => k)).toEqual(["type"]);
    expect(JSON.stringify(out)).not.toContain("7946 0321");
  });

  it("redacts a short number under a labelled key: only bounds are skipped", () => {
    const out = mapJsonTree({ driver_license: 583920, account_number: 774201, passport: 318265, maxLength: 583920 }, redact, "p");
    expect(out.driver_license).toBe("<US_DRIVER_LICENSE_1>");
    expect(out.account_number).toBe("<US_BANK_NUMBER_1>");
    expect(out.passport).toBe("<US_PASSPORT_1>");
    expect(out.maxLength).toBe(583920);
  });

  it("maps numbers of 7 or more digits under a bound, and data keywords whatever their length", () => {
    const { seen, map } = recording();
    mapJsonTree({ maximum: 4155550123, minimum: 1234567, default: 12, enum: [3, 40], const: 5 }, map, "p");
    expect(seen).toEqual([
      ["maximum", "4155550123"],
      ["minimum", "1234567"],
      ["default", "12"],
      ["enum", "3"],
      ["enum", "40"],
      ["const", "5"],
    ]);
  });

  it("skips only what the detector would have left unchanged (a sweep of bounds under every bound keyword)", () => {
    const keys = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"];
    // Every length from 1 to 6 digits, decimals and negatives; a deterministic spread, not a fixture of data rows.
    const values: number[] = [];
    for (let d = 1; d <= 6; d++) for (let i = 0; i < 12; i++) values.push(Math.floor(10 ** (d - 1) + ((i * 7919) % (9 * 10 ** (d - 1)))));
    values.push(-273.15, 0.5, 99.999, 1234.56, -99999, 12.3456);
    for (const key of keys) for (const n of values) expect(redact(String(n), key), `${key}: ${n}`).toBe(String(n));
  });
});
