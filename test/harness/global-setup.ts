/** Bundles the Workers once per test run, before the integration tests start them. */
import { existsSync } from "node:fs";
import { buildWorker, WORKERS, type WorkerName } from "./build-workers";

export default function setup(): void {
  const tested: WorkerName[] = ["gateway", "evaluator"];
  for (const name of tested) {
    if (existsSync(WORKERS[name].config)) buildWorker(name);
  }
}
