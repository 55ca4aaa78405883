/**
 * V8 flags for the workerd processes Miniflare starts, from `MINIFLARE_WORKERD_V8_FLAGS`
 * (space-separated, e.g. `--max-heap-size=128`), written into workerd's config as
 * `Config.v8Flags` (workerd.capnp: "command-line flags to pass to V8"). workerd has no CLI flag
 * for them and Miniflare 4.20260426 never fills the field; later Miniflare reads this same
 * variable (cloudflare/workers-sdk#14702), so this hook only back-ports it.
 *
 * Why the benches want it: Miniflare's workerd sets no isolate memory limit, so each isolate gets
 * V8's default (over 1 GB) and V8 sizes its heaps up rather than collect (docs/benchmarks/soak.md);
 * a deployed Worker's isolate is limited to 128 MB. `--max-heap-size=128` caps every isolate's JS
 * heap (young and old generation) at 128 MB, so V8 collects as it would there. It is not the same
 * enforcement: production counts the isolate's memory and resets that one isolate when it goes
 * over; V8 aborts the whole workerd process ("Reached heap limit") when a heap cannot fit, which a
 * bench sees as every later request failing.
 *
 * A load hook (test/harness/miniflare-bundle-hook.ts) that edits one line of Miniflare's bundle: it
 * must be imported before Miniflare is loaded. If an upgrade changes the line, `v8FlagsHookActive()`
 * says so and the benches refuse the option rather than measure without it.
 */
import { editMiniflareBundle } from "../../test/harness/miniflare-bundle-hook";

export const V8_FLAGS_ENV = "MINIFLARE_WORKERD_V8_FLAGS";

const ORIGINAL = "const struct = message.initRoot(Config);";
const APPLIED = Symbol.for("llm-gateway.workerd-v8-flags.applied");
const WITH_FLAGS = `${ORIGINAL} { const extra = (process.env.${V8_FLAGS_ENV} ?? "").split(/\\s+/).filter(Boolean); if (extra.length > 0 && config.v8Flags === undefined) config = { ...config, v8Flags: extra }; globalThis[Symbol.for("llm-gateway.workerd-v8-flags.applied")] = extra; }`;
const globals = globalThis as Record<symbol, unknown>;
let patched = false;

editMiniflareBundle(Symbol.for("llm-gateway.workerd-v8-flags"), (source) => {
  const out = withV8Flags(source);
  patched ||= out !== null;
  return out;
});

/** Miniflare's bundle with serializeConfig adding the flags, or null if the line it edits is not there. */
export function withV8Flags(source: string): string | null {
  return source.includes(ORIGINAL) ? source.replace(ORIGINAL, WITH_FLAGS) : null;
}

/** True once Miniflare has been loaded through the hook with the line it edits. */
export function v8FlagsHookActive(): boolean {
  return patched;
}

/** The flags the last serialized workerd config carried (empty before one was serialized). */
export function v8FlagsApplied(): readonly string[] {
  return (globals[APPLIED] as string[] | undefined) ?? [];
}
