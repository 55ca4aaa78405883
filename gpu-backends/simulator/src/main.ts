/**
 * CLI: npx tsx gpu-backends/simulator/src/main.ts --port 8000 --config path --replay path
 * Prints one line with the base URL when ready (scripts wait for it).
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8000" },
      host: { type: "string", default: "127.0.0.1" },
      config: { type: "string" },
      replay: { type: "string" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad --port ${values.port}`);
  const sim = await startSimulator({
    port,
    host: values.host,
    ...(values.config ? { configPath: values.config } : {}),
    ...(values.replay ? { replayFile: values.replay } : {}),
  });
  const models = [...sim.state.models.keys()].join(", ");
  process.stdout.write(`gpu simulator listening on ${sim.baseUrl} (models: ${models})\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
