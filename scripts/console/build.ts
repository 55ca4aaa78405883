/** `npm run console:build`: the console's static assets (wrangler.toml [build] runs it before every build). */
import { relative } from "node:path";
import { parseCli } from "../lib/cli";
import { ASSETS_DIR, bundleConsole, ROOT } from "./bundle";

const { values } = parseCli({
  name: "npm run console:build --",
  summary: "Bundles the web console (console/) into the gateway's static assets directory and prints the first-load size.",
  options: { out: { type: "string", default: relative(ROOT, ASSETS_DIR), value: "DIR", description: "output directory" } },
});

const sizes = await bundleConsole(values.out === relative(ROOT, ASSETS_DIR) ? ASSETS_DIR : values.out);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const total = sizes.reduce((t, s) => ({ bytes: t.bytes + s.bytes, gzip: t.gzip + s.gzipBytes }), { bytes: 0, gzip: 0 });
console.log(`console: ${sizes.map((s) => `${s.file} ${kib(s.bytes)} (gzip ${kib(s.gzipBytes)})`).join(", ")}; first load ${kib(total.bytes)}, gzip ${kib(total.gzip)}`);
