/**
 * Miniflare's synchronous proxy (used by tests through `mf.getD1Database()`) blocks on an
 * Atomics flag its helper thread sets after posting the reply, then reads the reply with
 * receiveMessageOnPort and asserts it is the one it asked for. Under load the flag can be seen
 * before the reply can be received (a reply that transfers a stream is delivered later), and the
 * assertion fails in whatever test happened to be seeding data. This patch makes the host keep
 * reading (waiting 1 ms at a time, up to 10 s) until the reply with its own id arrives, skipping
 * none. It edits node_modules once at install; when miniflare's code has changed and the text is
 * not found, it says so and changes nothing. Local tooling only: the Worker never runs this code.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const USAGE = "Usage: npm run postinstall (runs by itself after npm ci / npm install)";
const [flag] = process.argv.slice(2);
if (flag === "--help" || flag === "-h") {
  console.log(`${USAGE}\n\nPatches Miniflare's synchronous proxy in node_modules to wait for its reply (test stability under load). Idempotent; a no-op when miniflare is absent or changed.`);
  process.exit(0);
}
if (flag !== undefined) {
  console.error(`Unknown option '${flag}'.\n${USAGE}`);
  process.exit(2);
}

const require = createRequire(import.meta.url);
let file;
try {
  file = require.resolve("miniflare");
} catch {
  process.exit(0); // miniflare not installed (production install): nothing to patch
}
const MARK = "/* llm-gateway: wait for the sync reply */";
const source = readFileSync(file, "utf8");
if (source.includes(MARK)) process.exit(0);
const before = `    const message = (0, import_node_worker_threads.receiveMessageOnPort)(
      this.#channel.port1
    )?.message;
    (0, import_node_assert13.default)(message?.id === id);`;
const after = `    ${MARK}
    let message = (0, import_node_worker_threads.receiveMessageOnPort)(this.#channel.port1)?.message;
    for (let waited = 0; message === void 0 && waited < 10000; waited++) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      message = (0, import_node_worker_threads.receiveMessageOnPort)(this.#channel.port1)?.message;
    }
    (0, import_node_assert13.default)(message?.id === id);`;
if (!source.includes(before)) {
  console.warn("patch-miniflare-sync-fetch: miniflare's fetch-sync code has changed; not patched (tests may flake under load)");
  process.exit(0);
}
writeFileSync(file, source.replace(before, after));
