/** Bundles the Workers once per test run, before any integration test starts them. */
import { existsSync } from "node:fs";
import { buildWorker, WORKERS, type WorkerName } from "./build-workers";

export default function setup(): void {
  for (const name of Object.keys(WORKERS) as WorkerName[]) {
    if (existsSync(WORKERS[name].config)) buildWorker(name);
  }
}
