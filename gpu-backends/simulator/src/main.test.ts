import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

describe("CLI", () => {
  it("starts from config.local.json on an ephemeral port and prints its URL", async () => {
    const child = spawn(join(root, "node_modules/.bin/tsx"), ["gpu-backends/simulator/src/main.ts", "--config", "gpu-backends/simulator/config.local.json", "--port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/\S+\/v1)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const models = (await (await fetch(`${url}/models`)).json()) as { data: Array<{ id: string }> };
      expect(models.data.map((m) => m.id)).toEqual(["small-sim", "frontier-sim"]);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
