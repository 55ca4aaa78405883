/** bench:faults' command line: parsed and checked before anything heavy is loaded. */
import { parseArgs } from "node:util";

export const USAGE = "usage: npm run bench:faults -- [--requests N] [--concurrency N] [--seconds N] [--only id,id] [--no-write] [--help]";
export const HELP = `${USAGE}

Drives chat requests through the local gateway while the simulator injects faults, one scenario
at a time: errors, hangs, slow first tokens and dropped streams on the small tier, all of them
at once, every tier at 50% errors, explicit small-sim requests at 50% errors (sequential), and an
outage that ends mid-run. A scenario stops sending at its request count or after --seconds
(3x for the sequential one; the outage runs 14 s), so a default run takes about two and a half
minutes, less on a quiet machine.
  --requests N      requests per scenario (default 250; the sequential one takes at most 150)
  --concurrency N   concurrent clients (default 16)
  --seconds N       how long a scenario may send (default 6); raise it with --requests for tighter numbers
  --only ids        run only these scenarios (errors, all-tiers, explicit, slow, drops, hangs, mixed, outage)
  --no-write        print the report without writing docs/benchmarks/faults.md`;

export interface Options {
  requests: number;
  concurrency: number;
  seconds: number;
  only: string[] | null;
  write: boolean;
}

export const SCENARIO_IDS = ["errors", "all-tiers", "explicit", "slow", "drops", "hangs", "mixed", "outage"];

/** null = --help. Throws a message (printed with the usage line) on anything it does not accept. */
export function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      requests: { type: "string", default: "250" },
      concurrency: { type: "string", default: "16" },
      seconds: { type: "string", default: "6" },
      only: { type: "string" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return null;
  const int = (name: string, v: string | undefined, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got "${v}"`);
    return n;
  };
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : null;
  const unknown = only?.filter((id) => !SCENARIO_IDS.includes(id)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIO_IDS.join(", ")}`);
  return {
    requests: int("requests", values.requests, 5_000),
    concurrency: int("concurrency", values.concurrency, 64),
    seconds: int("seconds", values.seconds, 600),
    only,
    write: !values["no-write"],
  };
}
