import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOptions } from "./options";

const ROOT = resolve(import.meta.dirname, "../..");

describe("bench:faults command line", () => {
  it("takes defaults, numbers and a scenario subset, and --help", () => {
    expect(parseOptions([])).toEqual({ requests: 250, concurrency: 16, seconds: 6, only: null, write: true });
    expect(parseOptions(["--requests", "40", "--concurrency", "4", "--seconds", "30", "--only", "errors,outage", "--no-write"])).toEqual({ requests: 40, concurrency: 4, seconds: 30, only: ["errors", "outage"], write: false });
    expect(parseOptions(["--help"])).toBeNull();
    expect(parseOptions(["-h"])).toBeNull();
  });

  it("rejects unknown flags, positionals, bad numbers and unknown scenarios", () => {
    expect(() => parseOptions(["--duration", "5"])).toThrow(/Unknown option/);
    expect(() => parseOptions(["fast"])).toThrow();
    expect(() => parseOptions(["--requests", "0"])).toThrow(/--requests/);
    expect(() => parseOptions(["--concurrency", "2.5"])).toThrow(/--concurrency/);
    expect(() => parseOptions(["--only", "errors,typo"])).toThrow(/unknown scenario typo/);
  });

  it("prints usage on --help and a usage line on an unknown flag, without starting the bench", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "bench/faults.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run bench:faults/);
    expect(help.stdout).not.toMatch(/faults-|Using secrets/);
    const bad = run("--bogus");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--bogus'\nusage: npm run bench:faults/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});
