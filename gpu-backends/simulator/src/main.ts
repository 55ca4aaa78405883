/**
 * CLI: npx tsx gpu-backends/simulator/src/main.ts --port 8000 --config path --replay path
 * Prints one line with the base URL when ready (scripts wait for it).
 */
import { startSimulator } from "./server";
import { parseCli, usageError } from "../../../scripts/lib/cli";

async function main(): Promise<void> {
  const spec = {
    name: "npm run sim --",
    summary: "The GPU simulator: an OpenAI-compatible vLLM stand-in (latency, concurrency, metrics, faults, replay).",
    options: {
      port: { type: "string", default: "8000", value: "PORT", description: "port to listen on (0: any free port)" },
      host: { type: "string", default: "127.0.0.1", value: "HOST", description: "address to listen on" },
      config: { type: "string", value: "FILE", description: "models and latency profile (JSON)" },
      replay: { type: "string", value: "FILE", description: "recorded answers to replay (JSONL)" },
    },
  } as const;
  const { values } = parseCli(spec);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) usageError(spec, `--port must be 0-65535, not '${values.port}'.`);
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
