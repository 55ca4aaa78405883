/**
 * Miniflare (4.20260426.0, and 4.20260730.0 too) serializes the workerd config with capnp-es's
 * single-segment arena, which grows its buffer by max(request, 4 KiB) and copies it whole each
 * time. The gateway's config carries ~22 MB of modules (ORT wasm 14 MB, bundle 5 MB, models), and
 * ~1.6 MB of Miniflare's own services follow it, so every stack start copied ~22 MB some 400
 * times: ~6 s of CPU per `new Miniflare`, measured with `process.cpuUsage()` around `mf.ready`
 * (7.5 s -> 1.4 s), in every integration test file and benchmark.
 *
 * This load hook makes the arena grow geometrically (by at least half its size). The arena is
 * only scratch space: `toArrayBuffer()` copies out the used bytes, so the config workerd reads
 * is byte-for-byte the same (checked: serializeConfig of a 3.8 MB config, both ways, equal). If
 * a Miniflare upgrade changes that line, the hook leaves the file as it is.
 */
import { editMiniflareBundle } from "./miniflare-bundle-hook";

const ORIGINAL = "s.buffer = new ArrayBuffer(srcBuffer.byteLength + minSize);";
const GEOMETRIC = "s.buffer = new ArrayBuffer(srcBuffer.byteLength + Math.max(minSize, padToWord$1(srcBuffer.byteLength >>> 1)));";

editMiniflareBundle(Symbol.for("llm-gateway.miniflare-config-speedup"), (source) => (source.includes(ORIGINAL) ? source.replace(ORIGINAL, GEOMETRIC) : null));
