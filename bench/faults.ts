/**
 * `npm run bench:faults`: bounded load through the local stack (gateway + evaluator in workerd,
 * the GPU simulator injecting faults through POST /_sim/faults). Per scenario it reports the
 * clients' success rate against its target, p50/p99 latency, the circuit breakers' transitions,
 * and the ledger: one row per request, complete answers billed exactly once.
 * Writes docs/benchmarks/faults.md (then `npm run bench:report`).
 */
import { HELP, parseOptions, USAGE, type Options } from "./faults/options";

async function main(): Promise<number> {
  let options: Options | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(HELP);
    return 0;
  }
  // Loaded after the arguments are checked: --help and typos answer without building or starting anything.
  const { runFaultBench } = await import("./faults/run");
  await runFaultBench(options, `npm run bench:faults${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
