import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { V8_FLAGS_ENV, withV8Flags } from "./workerd-v8-flags";

// A stand-in for Miniflare's serializeConfig with the line the hook edits, returning the config it would encode.
const FAKE = `(function serializeConfig(config) { const message = { initRoot: () => ({}) }; const Config = {}; const struct = message.initRoot(Config); return config; })`;

/** Runs the edited stand-in in a fresh context whose process.env holds only the variable under test. */
function serialize(source: string, config: object, env: string | undefined): object {
  const fn = runInNewContext(source, { process: { env: env === undefined ? {} : { [V8_FLAGS_ENV]: env } }, globalThis: {} }) as (c: object) => object;
  return JSON.parse(JSON.stringify(fn(config))) as object;
}

describe("workerd V8 flags hook", () => {
  it("finds the line it edits in the installed Miniflare", () => {
    const path = createRequire(import.meta.url).resolve("miniflare");
    expect(withV8Flags(readFileSync(path, "utf8"))).not.toBeNull();
  });

  it("adds the environment's flags to the config, split on spaces, and nothing without them", () => {
    const patched = withV8Flags(FAKE) as string;
    expect(serialize(patched, { services: [] }, " --max-heap-size=128  --expose-gc ")).toEqual({ services: [], v8Flags: ["--max-heap-size=128", "--expose-gc"] });
    expect(serialize(patched, { services: [] }, undefined)).toEqual({ services: [] });
    expect(serialize(patched, { v8Flags: ["--own"] }, "--max-heap-size=64")).toEqual({ v8Flags: ["--own"] });
  });

  it("leaves a source without the line alone", () => {
    expect(withV8Flags("function serializeConfig(config) {}")).toBeNull();
  });
});
