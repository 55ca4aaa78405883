import { describe, expect, it } from "vitest";
import { generateApiKey } from "../../workers/gateway/src/auth/keys";
import { readyScreen, START_STEPS, stepLine, type ReadyFacts } from "./ready-screen";

/** Terminal rows a text takes at `columns` (a longer line wraps; an empty line is one row). */
function rows(text: string, columns: number): number {
  return text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil([...line].length / columns)), 0);
}

/** The longest values a local stack can show: real-format keys, 5-digit ports. */
async function facts(): Promise<ReadyFacts> {
  const [service, developer, admin] = await Promise.all(["local", "local", "local"].map(async (env) => (await generateApiKey(env)).key));
  return {
    gateway: "http://127.0.0.1:65535",
    simulator: "http://127.0.0.1:65534",
    inspector: 65533,
    logFile: ".wrangler/start.log",
    keys: { tenantId: "ten_dev", service: { key: service as string }, developer: { key: developer as string }, admin: { key: admin as string } },
  };
}

/** The whole console output of a start without errors: each step's line, then the ready screen. */
function consoleOutput(f: ReadyFacts): string {
  const steps = Object.values(START_STEPS).map((t) => `${stepLine(t)}done`);
  // console.log adds the final newline; the screen's own first line is blank.
  return `${steps.join("\n")}\n${readyScreen(f)}`;
}

describe("npm start's console output", () => {
  it("fits one 24-line terminal at 120 columns, npm's header and the step lines included", async () => {
    // What npm prints before the script's own output: a blank line, the package and script, the command, a blank line.
    const npmHeader = "\n> edge-llm-gateway@0.1.0 start\n> tsx scripts/start.ts\n";
    const out = `${npmHeader}\n${consoleOutput(await facts())}`;
    expect(rows(out, 120)).toBeLessThanOrEqual(24);
  });

  it("ends with the URLs and keys: every key and URL is shown, and nothing but how to use them follows the first", async () => {
    const f = await facts();
    const lines = readyScreen(f).split("\n");
    const urls = [`${f.gateway}/v1`, `${f.gateway}/console/`, `${f.simulator}/v1`, `127.0.0.1:${f.inspector}`];
    const keys = [f.keys.service?.key, f.keys.developer?.key, f.keys.admin?.key] as string[];
    for (const wanted of [...urls, ...keys]) expect(lines.some((l) => l.includes(wanted))).toBe(true);
    const first = lines.findIndex((l) => l.includes(f.gateway));
    // Before the URLs: a blank line and the one-line status naming the log file.
    expect(lines.slice(0, first).filter((l) => l.trim() !== "")).toEqual([`✔ Local stack ready. Logs: ${f.logFile}   Ctrl-C stops everything.`]);
    // The last line is a command to run against the gateway, not a step's or a server's output.
    expect(lines.at(-1)).toContain(f.gateway);
    expect(lines.filter((l) => l.includes("Bearer")).every((l) => l.includes(f.keys.developer?.key as string))).toBe(true);
  });

  it("carries no migration, seeding or wrangler output (those go to the log file it names)", async () => {
    const out = consoleOutput(await facts());
    // wrangler's migration table (box drawing, migration file names), its banner and ready line, and seed-dev's key list.
    for (const fromLog of [/[│┌┐└┘├┤─]/, /\d{4}_[\w-]+\.sql/, /Migrations to be applied|Executing on local database/i, /⛅️|Ready on|\[wrangler/i, /service key:/]) {
      expect(out).not.toMatch(fromLog);
    }
    expect(out).toContain(".wrangler/start.log");
  });
});
