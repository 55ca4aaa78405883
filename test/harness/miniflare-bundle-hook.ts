/**
 * A Node load hook that edits Miniflare's bundle (node_modules/miniflare/dist/src/index.js) as it
 * loads, for the edits Miniflare has no option for: the harness's faster config serialization
 * (miniflare-config-speedup.ts) and the benches' V8 flags for workerd (bench/lib/workerd-v8-flags.ts).
 * Each edit registers once per process (keyed by `mark`) and only affects a Miniflare loaded after
 * it. `edit` returns the new source, or null to leave the file as it is (the line it looks for is
 * gone after an upgrade).
 */
import { readFileSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | Uint8Array | null };
type Hooks = { load(url: string, context: object, next: (url: string, context: object) => LoadResult): LoadResult };
const registerHooks = (module as unknown as { registerHooks?: (hooks: Hooks) => unknown }).registerHooks;
const globals = globalThis as Record<symbol, unknown>;

export function editMiniflareBundle(mark: symbol, edit: (source: string) => string | null): void {
  if (!registerHooks || globals[mark]) return;
  globals[mark] = true;
  registerHooks({
    load(url, context, next) {
      const result = next(url, context);
      if (!url.endsWith("/node_modules/miniflare/dist/src/index.js")) return result;
      const raw = result.source ?? readFileSync(fileURLToPath(url));
      const edited = edit(typeof raw === "string" ? raw : Buffer.from(raw as Uint8Array).toString("utf8"));
      return edited === null ? result : { format: result.format ?? "commonjs", source: edited, shortCircuit: true };
    },
  });
}
