/**
 * Every npm script answers `--help` with its usage (exit 0, without starting its work) and an
 * unknown flag with a usage line (non-zero exit, no stack trace). Our own tools (tsx scripts)
 * run in one Node + tsx process per flag (scripts/lib/cli-probe.ts: the same code path, with
 * process.exit and the output captured), checked against real processes for one tool and used
 * for any case the probe cannot answer; third-party CLIs are spawned through npm.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { helpText, usageLine } from "./lib/cli";
import type { ProbeResult } from "./lib/cli-probe";

const ROOT = join(import.meta.dirname, "..");
const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** Command-line tools that are not npm scripts, run as `npx tsx <file>`. */
const TOOLS: Record<string, string> = {
  "scripts/apply-terraform-outputs.ts": "tsx scripts/apply-terraform-outputs.ts",
  "bench/guardrails-synthetic.ts": "tsx bench/guardrails-synthetic.ts",
};
const commands: Record<string, string> = { ...scripts, ...TOOLS };

/** Third-party CLIs whose own handling of an unknown flag we cannot change (see `external`). */
const EXTERNAL = /^(vitest|tsc|wrangler|eslint) /;
// vitest's CLI (cac) throws its CACError with a stack for an unknown flag; tsc prints one line
// (error TS5023) and eslint one line ("Invalid option '--bogus'") without a usage line. All exit non-zero.
const STACK_TRACE_ALLOWED = new Set(["test"]);
const NO_USAGE_LINE = new Set(["typecheck", "typecheck:console", "test", "lint"]);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnRun(exe: string, argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(exe, argv, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" }, timeout: 120_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The tsx file a command runs, or undefined for a third-party CLI. */
const tsxFile = (name: string): string | undefined => /^tsx (\S+)/.exec(commands[name] as string)?.[1];

/** One real process, as a user runs it. */
function run(name: string, flag: string): Promise<Run> {
  const file = tsxFile(name);
  return file ? spawnRun(process.execPath, ["--import", "tsx", file, flag]) : spawnRun("npm", ["run", "--silent", name, "--", flag]);
}

/** All our tsx tools with one flag, in one process; a case it could not answer runs for real. */
async function probeAll(names: readonly string[], flag: string): Promise<Map<string, Run>> {
  const out = join(mkdtempSync(join(tmpdir(), "cli-probe-")), "results.json");
  const files = names.map((n) => tsxFile(n) as string);
  const probe = await spawnRun(process.execPath, ["--import", "tsx", "scripts/lib/cli-probe.ts", flag, out, ...files]);
  if (probe.code !== 0) throw new Error(`cli-probe ${flag} failed: ${probe.stderr}`);
  const byFile = new Map((JSON.parse(readFileSync(out, "utf8")) as ProbeResult[]).map((r) => [r.file, r]));
  const runs = new Map<string, Run>();
  for (const name of names) {
    const r = byFile.get(tsxFile(name) as string);
    runs.set(name, r && r.code !== null ? r : await run(name, flag));
  }
  return runs;
}

/** Runs every job with at most `size` at once (the machine is shared; each spawn loads tsx). */
async function pool<T, R>(items: readonly T[], size: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i] as T);
    }
  }));
  return out;
}

const STACK = /\n\s+at .+(:\d+:\d+|\(node:)/;

describe("every npm script's and tool's command line", () => {
  const names = Object.keys(commands).sort();

  it("--help prints the usage and exits 0 without starting; --bogus prints a usage line and fails, without a stack trace", async () => {
    const ours = names.filter((n) => tsxFile(n) !== undefined);
    const [help, bogus, external] = await Promise.all([
      probeAll(ours, "--help"),
      probeAll(ours, "--bogus"),
      pool(names.filter((n) => tsxFile(n) === undefined), 2, async (name) => ({ name, help: await run(name, "--help"), bogus: await run(name, "--bogus") })),
    ]);
    const results = [...ours.map((name) => ({ name, help: help.get(name) as Run, bogus: bogus.get(name) as Run })), ...external];
    const problems: string[] = [];
    for (const { name, help, bogus } of results) {
      const ours = !EXTERNAL.test(commands[name] as string);
      const invocation = name in TOOLS ? `npx tsx ${name}` : `npm (run )?${name}\\b`;
      if (help.code !== 0) problems.push(`${name} --help: exit ${help.code} ${help.stderr.slice(0, 300)}`);
      // Third-party help pages (wrangler, tsc) list OPTIONS / FLAGS / COMMANDS rather than "usage".
      if (!/usage|options|flags|commands/i.test(help.stdout)) problems.push(`${name} --help: no usage text`);
      // Ours print the help and nothing else: a bench that started would print its results too.
      if (ours && !new RegExp(`^usage: ${invocation}`, "i").test(help.stdout)) problems.push(`${name} --help: output is not the usage: ${help.stdout.slice(0, 200)}`);
      if (ours && help.stdout.length > 4000) problems.push(`${name} --help: printed more than its help`);
      if (bogus.code === 0) problems.push(`${name} --bogus: exit 0`);
      if (!NO_USAGE_LINE.has(name) && !/usage|wrangler \w+/i.test(bogus.stderr + bogus.stdout)) problems.push(`${name} --bogus: no usage line: ${bogus.stderr.slice(0, 200)}`);
      if (ours && !/^usage: (npm|npx) /im.test(bogus.stderr)) problems.push(`${name} --bogus: no usage line on stderr: ${bogus.stderr.slice(0, 200)}`);
      if (!STACK_TRACE_ALLOWED.has(name) && STACK.test(bogus.stderr + bogus.stdout)) problems.push(`${name} --bogus: stack trace`);
    }
    expect(problems).toEqual([]);
  }, 600_000);

  it("the in-process probe answers exactly as a real process does", async () => {
    // router:eval parses inside an async main behind a main-module guard: the hardest shape to emulate.
    const name = "router:eval";
    const [probedHelp, probedBogus] = await Promise.all([probeAll([name], "--help"), probeAll([name], "--bogus")]);
    expect(probedHelp.get(name)).toEqual({ file: tsxFile(name), ...(await run(name, "--help")) });
    expect(probedBogus.get(name)).toEqual({ file: tsxFile(name), ...(await run(name, "--bogus")) });
  }, 120_000);

  it("the shared helper builds the usage from the option table", () => {
    const spec = { name: "npm run x --", summary: "Does x.", positionals: "[FILE...]", options: { out: { type: "string" as const, default: "a.md", value: "FILE", description: "where" } } };
    expect(usageLine(spec)).toBe("Usage: npm run x -- [options] [FILE...]");
    expect(helpText(spec)).toMatch(/^Usage: npm run x -- \[options\] \[FILE\.\.\.\]\n\nDoes x\.\n\nOptions:\n +--out FILE +where \(default: a\.md\)\n +-h, --help +show this help and exit\n$/);
  });
});
