import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "sagemaker-workerd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sagemaker adapter under workerd", () => {
  it("bundles like wrangler (browser conditions) and signs, sends and decodes streams in workerd", async () => {
    await build({
      entryPoints: [fileURLToPath(new URL("./workerd-smoke.worker.ts", import.meta.url))],
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      outfile: join(dir, "worker.js"),
      logLevel: "silent",
    });
    const mf = new Miniflare({ modules: true, modulesRoot: dir, scriptPath: join(dir, "worker.js"), compatibilityDate: "2026-04-01", compatibilityFlags: ["nodejs_compat"] });
    try {
      const res = await mf.dispatchFetch("http://localhost/");
      expect(await res.json()).toEqual({
        text: "Hello",
        stream: ["Hi", " there"],
        seen: [
          "https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/ep/invocations AWS4-HMAC-SHA256",
          "https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/ep/invocations-response-stream AWS4-HMAC-SHA256",
        ],
      });
    } finally {
      await mf.dispose();
    }
  });
});
