/**
 * `npm run replay:demo`'s one-line messages for what goes wrong before the demo can run (no
 * gateway, no or a broken `.dev-keys.json`, no data, a replay path that would put shared-data
 * rows where git could pick them up) and the note it ends with. Kept apart from the I/O so each
 * message can be tested; the script prints them without a stack trace.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { z } from "zod";

/** Where `--write-replay` writes when given no file: `.tmp/` is git-ignored. */
export const DEFAULT_REPLAY_FILE = ".tmp/replay-demo.jsonl";

export const DevKeysSchema = z.object({ tenantId: z.string(), service: z.object({ key: z.string() }), developer: z.object({ key: z.string() }), admin: z.object({ key: z.string() }) });
export type DevKeys = z.infer<typeof DevKeysSchema>;

/** The gateway did not answer at all (undici's "fetch failed": refused, reset, no route). */
export function isUnreachable(err: unknown): boolean {
  return err instanceof TypeError && err.message === "fetch failed";
}

export function noGatewayMessage(base: string): string {
  return `no gateway at ${base} — start it with npm start -- --replay ${DEFAULT_REPLAY_FILE} (npm run replay:demo -- --write-replay writes that file), or set GATEWAY_PORT to the port npm start printed`;
}

/**
 * `.dev-keys.json` read into the keys, or the one line that says what to do: `text` is the file's
 * content, null when it does not exist.
 */
export function parseDevKeys(text: string | null, file: string): { keys: DevKeys } | { message: string } {
  if (text === null) return { message: `${file} not found: npm start writes it (the dev tenant's keys) when it seeds the local stack — run npm start first, from this checkout` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: `${file} is not JSON: npm start rewrites it — stop the stack and run npm start again` };
  }
  const parsed = DevKeysSchema.safeParse(json);
  if (parsed.success) return { keys: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? issue.path.join(".") : "the file";
  return { message: `${file} does not hold the dev keys npm start writes (${where}: ${issue?.message ?? "unreadable"}) — stop the stack and run npm start again` };
}

/** The GSM8K file could not be read from `dir`. */
export function missingDataMessage(dir: string, detail: string): string {
  return `cannot read the GSM8K rows from ${dir} (${detail}) — pass the routing data folder with --data DIR (it holds gsm8k-mixtral-gpt4-dev.csv)`;
}

/**
 * Where `--write-replay` may write, or why not: the file holds recorded answers of the shared
 * data set, which must never be committed, so only a path inside the checkout's `.tmp/` that git
 * ignores is accepted (`ignored` asks git, e.g. `git check-ignore -q`).
 */
export function replayPath(root: string, arg: string, ignored: (absolute: string) => boolean): { path: string } | { message: string } {
  const path = resolve(root, arg);
  const rel = relative(resolve(root, ".tmp"), path);
  const inside = rel !== "" && !isAbsolute(rel) && !rel.split(sep).includes("..");
  if (!inside) return { message: `--write-replay ${arg}: the replay file holds recorded answers from the shared data set, so it is written only inside .tmp/ (git-ignored), e.g. ${DEFAULT_REPLAY_FILE}` };
  if (!ignored(path)) return { message: `--write-replay ${arg}: git does not ignore this path, so the shared data's answers could be committed — pick a path git ignores under .tmp/, e.g. ${DEFAULT_REPLAY_FILE}` };
  return { path };
}

/** The demo's last lines: what it left changed on the stack and how to put it back. */
export function leftOnNote(tenantId: string, feature: string): string {
  return [
    `Left on the stack: feature ${feature} of tenant ${tenantId} still has cascade on and PII redaction and injection screening OFF (its own settings layer).`,
    `Restore it (an empty layer: the tenant-wide settings apply again): npm run replay:demo -- --restore${feature === "replay-demo" ? "" : ` --feature ${feature}`}   (or run the demo with --restore-after)`,
  ].join("\n");
}
