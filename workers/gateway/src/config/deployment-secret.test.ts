import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import { END_USER_KEY_MISSING, endUserSecret } from "../guardrails/end-user";
import { piiHashKeyFor } from "../guardrails/redact/hash-key";
import { GuardrailSettingsSchema } from "../guardrails/settings";
import { secretState, type SecretSpec } from "./deployment-secret";

const spec: SecretSpec = { name: "LANTERN_KEY", schema: z.string().min(32, "too short"), publicLabel: "lantern public label, thirty-two+ chars", errorCode: "lantern_key_missing" };
const GOOD = "a-lantern-key-that-is-long-enough-0123";
const hashing = GuardrailSettingsSchema.parse({ pii: { entities: { US_SSN: "hash" } } });
const messages = (warn: ReturnType<typeof vi.spyOn>): string[] => warn.mock.calls.map((c: unknown[]) => String(c[0]));

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

describe("secretState (review s12-sec findings 3, 4, 8, 10)", () => {
  it("allows the public-label fallback only for ENVIRONMENT local and test", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(secretState({ ENVIRONMENT: "local" }, spec)).toEqual({ kind: "local_unset" });
    expect(secretState({ ENVIRONMENT: "test" }, spec)).toEqual({ kind: "local_unset" });
    for (const name of ["dev", "development", "staging", "production", "Local", undefined]) {
      expect(secretState({ ENVIRONMENT: name }, spec), String(name)).toEqual({ kind: "missing" });
    }
  });

  it("a deployed 'dev' environment without the keys refuses hashing and end users instead of using the public labels", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(() => piiHashKeyFor({ ENVIRONMENT: "dev" }, "ten_orrin", hashing)).toThrow(expect.objectContaining({ status: 503, code: "pii_hash_key_missing" }));
    expect(endUserSecret({ ENVIRONMENT: "development" })).toBe(END_USER_KEY_MISSING);
  });

  it("logs once per isolate whenever a local stack uses the public label", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    secretState({ ENVIRONMENT: "local" }, spec);
    secretState({ ENVIRONMENT: "local" }, spec);
    expect(messages(warn)).toEqual([expect.stringContaining("LANTERN_KEY is not set: this local stack")]);
    expect(messages(warn)[0]).toContain("public label");
  });

  it("names the error code the client gets, and reports a short key as unusable, not as unset", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(secretState({ ENVIRONMENT: "production", LANTERN_KEY: "tiny-k3y" }, spec)).toEqual({ kind: "missing" });
    expect(messages(warn)).toEqual([expect.stringContaining("LANTERN_KEY is set but unusable: requests that need it are refused (503 lantern_key_missing)")]);
    expect(messages(warn).join("\n")).not.toContain("not set");
    expect(messages(warn).join("\n")).not.toContain("tiny-k3y"); // the value itself is never logged
    resetConfigWarnings();
    warn.mockClear();
    secretState({ ENVIRONMENT: "production" }, spec);
    expect(messages(warn)).toEqual([expect.stringContaining("LANTERN_KEY is not set: requests that need it are refused (503 lantern_key_missing)")]);
  });

  it("never accepts the public label as the secret, though it is long enough", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(secretState({ ENVIRONMENT: "production", LANTERN_KEY: spec.publicLabel }, spec)).toEqual({ kind: "missing" });
    expect(secretState({ ENVIRONMENT: "production", LANTERN_KEY: GOOD }, spec)).toEqual({ kind: "set", value: GOOD });
    // The real labels, as written in hash-key.ts and end-user.ts.
    expect(() => piiHashKeyFor({ ENVIRONMENT: "production", PII_HASH_KEY: "llm-gateway pii-hash local unkeyed v1" }, "ten_orrin", hashing)).toThrow(
      expect.objectContaining({ code: "pii_hash_key_missing" }),
    );
    expect(endUserSecret({ ENVIRONMENT: "production", END_USER_HASH_KEY: "llm-gateway end-user pseudonym v1" })).toBe(END_USER_KEY_MISSING);
  });
});
