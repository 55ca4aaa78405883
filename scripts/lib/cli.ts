/**
 * The one command-line parser for scripts/, bench/ and the simulator: node:util parseArgs
 * (strict, so an unknown flag is an error) plus `--help`/`-h` and a usage text built from the
 * option table. `--help` prints the usage and exits 0 before the tool does anything else; a bad
 * flag prints one error line and the usage line to stderr and exits 2, never a stack trace.
 *
 *   const { values } = parseCli({
 *     name: "bench:cache",
 *     summary: "Semantic cache quality and latency",
 *     options: { data: { type: "string", default: "x.csv", description: "STS pairs (CSV)" } },
 *   });
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type OptionConfig = NonNullable<ParseArgsConfig["options"]>[string];
export type CliOption = OptionConfig & { description?: string; /** Placeholder shown in the usage, e.g. FILE. */ value?: string };
export type CliOptions = Record<string, CliOption>;

export interface CliSpec<O extends CliOptions> {
  /** How the tool is run, e.g. `npm run bench:cache --` or `npx tsx scripts/x.ts`. */
  name: string;
  /** One line: what the tool does (and, for benchmarks, roughly how long it runs). */
  summary: string;
  options?: O;
  /** Positional arguments, e.g. `[FILE...]`; without it positionals are refused. */
  positionals?: string;
  /** Extra lines after the option table (examples, environment variables). */
  notes?: string[];
  /** A hand-written help text, printed after the usage line instead of the generated one. */
  help?: string;
  argv?: string[];
}

type Parsed<O extends CliOptions> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

const HELP: CliOption = { type: "boolean", short: "h", description: "show this help and exit" };

function optionLine(name: string, o: CliOption): string {
  const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? name.toUpperCase().replace(/-/g, "_")}` : ""}`;
  const dflt = o.default !== undefined && o.default !== false ? ` (default: ${Array.isArray(o.default) ? o.default.join(",") : String(o.default)})` : "";
  return `  ${flag.padEnd(30)} ${o.description ?? ""}${dflt}`.trimEnd();
}

export function usageLine(spec: CliSpec<CliOptions>): string {
  return `Usage: ${spec.name} [options]${spec.positionals ? ` ${spec.positionals}` : ""}`;
}

export function helpText(spec: CliSpec<CliOptions>): string {
  if (spec.help !== undefined) return `${usageLine(spec)}\n\n${spec.help.trimEnd()}\n`;
  const options = { ...(spec.options ?? {}), help: HELP };
  const lines = [usageLine(spec), "", spec.summary, "", "Options:", ...Object.entries(options).map(([n, o]) => optionLine(n, o))];
  if (spec.notes?.length) lines.push("", ...spec.notes);
  return `${lines.join("\n")}\n`;
}

/** Parses argv (default: process.argv after the script), handling --help and bad flags itself. */
export function parseCli<O extends CliOptions>(spec: CliSpec<O>): Parsed<O> {
  const options: Record<string, OptionConfig> = {};
  for (const [name, { description: _d, value: _v, ...config }] of Object.entries({ ...(spec.options ?? {}), help: HELP })) options[name] = config;
  const args = spec.argv ?? process.argv.slice(2);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError(spec, err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help === true) {
    process.stdout.write(helpText(spec as CliSpec<CliOptions>));
    process.exit(0);
  }
  if (!spec.positionals && parsed.positionals.length > 0) return usageError(spec, `Unexpected argument '${parsed.positionals[0]}'.`);
  return parsed as Parsed<O>;
}

/** For checks after parsing (a missing required flag, a bad number): the same one-line error. */
export function usageError(spec: CliSpec<CliOptions>, message: string): never {
  // parseArgs appends advice on positionals starting with '-' to "Unknown option": one sentence is enough.
  const first = message.split("\n")[0]?.replace(/\. To specify a positional argument.*$/, ".") ?? message;
  process.stderr.write(`error: ${first}\n${usageLine(spec)}  (--help for details)\n`);
  process.exit(2);
}
