/**
 * `npx tsx scripts/apply-terraform-outputs.ts [--outputs FILE|-] [--dry-run] [--strict] [FILE...]`
 *
 * Fills the `REPLACE-WITH-...` placeholders of wrangler.toml ([env.production]: D1 database id,
 * CACHE_KV and KEYS_KV namespace ids) with the ids `terraform apply` created, taken from the
 * `wrangler_placeholders` output of terraform/ (placeholder -> value). Nothing else in the file
 * is touched: every other byte, comment and value stays as it is, and a placeholder Terraform
 * has no value for is left in place and reported.
 *
 *   terraform -chdir=terraform output -json > /tmp/tf-outputs.json
 *   npx tsx scripts/apply-terraform-outputs.ts --outputs /tmp/tf-outputs.json
 *
 * Without --outputs it runs `terraform -chdir=terraform output -json` itself. Files default to
 * wrangler.toml and workers/evaluator/wrangler.toml (those that exist). --dry-run prints what
 * would change without writing; --strict exits 1 if any placeholder remains afterwards.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseCli } from "./lib/cli";

/** A whole placeholder token: REPLACE-WITH- then upper-case words joined by single hyphens. */
export const PLACEHOLDER_PATTERN = /REPLACE-WITH-[A-Z0-9]+(?:-[A-Z0-9]+)*/g;
const PLACEHOLDER_NAME = /^REPLACE-WITH-[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
/** Resource ids are hex, UUIDs or names: nothing that could break out of a TOML string. */
const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export interface ApplyResult {
  /** The text with every known placeholder replaced. */
  text: string;
  /** Placeholders that were replaced, in order of first occurrence (unique). */
  replaced: string[];
  /** Placeholders found in the text with no value (left untouched). */
  missing: string[];
  /** Values given for placeholders that do not occur in the text. */
  unused: string[];
}

/** Checks a placeholder -> value map; throws on a bad name or a value unsafe inside a TOML string. */
export function validatePlaceholderValues(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (!PLACEHOLDER_NAME.test(name)) throw new Error(`not a REPLACE-WITH-... placeholder name: ${JSON.stringify(name)}`);
    if (typeof value !== "string" || !SAFE_VALUE.test(value)) {
      throw new Error(`value for ${name} must be a non-empty id of [A-Za-z0-9._:-], got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}

/**
 * Replaces whole `REPLACE-WITH-...` tokens that have a value; everything else is returned
 * byte for byte. Pure: no I/O.
 */
export function applyTerraformOutputs(text: string, values: Record<string, string>): ApplyResult {
  const safe = validatePlaceholderValues(values);
  const replaced = new Set<string>();
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER_PATTERN, (token) => {
    const value = Object.prototype.hasOwnProperty.call(safe, token) ? safe[token] : undefined;
    if (value === undefined) {
      missing.add(token);
      return token;
    }
    replaced.add(token);
    return value;
  });
  const unused = Object.keys(safe).filter((name) => !replaced.has(name));
  return { text: out, replaced: [...replaced], missing: [...missing], unused };
}

/**
 * Reads the placeholder map from `terraform output -json` (each output is
 * `{ value, type, sensitive }`); the `wrangler_placeholders` output carries it.
 */
export function placeholdersFromTerraformOutput(outputJson: unknown): Record<string, string> {
  if (typeof outputJson !== "object" || outputJson === null) throw new Error("terraform output -json: expected an object");
  const entry = (outputJson as Record<string, unknown>)["wrangler_placeholders"];
  if (typeof entry !== "object" || entry === null || !("value" in entry)) {
    throw new Error("terraform output -json has no wrangler_placeholders output: run terraform apply in terraform/ first");
  }
  const value = (entry as { value: unknown }).value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("wrangler_placeholders.value must be an object of placeholder -> id");
  }
  return validatePlaceholderValues(value as Record<string, unknown>);
}

function readOutputs(source: string | undefined): unknown {
  if (source === "-") return JSON.parse(readFileSync(0, "utf8"));
  if (source !== undefined) return JSON.parse(readFileSync(source, "utf8"));
  const stdout = execFileSync("terraform", ["-chdir=terraform", "output", "-json"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(stdout);
}

function main(): number {
  const { values, positionals } = parseCli({
    name: "npx tsx scripts/apply-terraform-outputs.ts",
    summary: "Fills the REPLACE-WITH-... placeholders of the wrangler.toml files with the ids terraform apply created.",
    positionals: "[FILE...]  (default: wrangler.toml and workers/evaluator/wrangler.toml)",
    options: {
      outputs: { type: "string", value: "FILE|-", description: "terraform output -json (default: run it in terraform/)" },
      "dry-run": { type: "boolean", default: false, description: "print what would change, write nothing" },
      strict: { type: "boolean", default: false, description: "exit 1 if a placeholder remains" },
    },
  });
  const placeholders = placeholdersFromTerraformOutput(readOutputs(values.outputs));
  const files = positionals.length > 0 ? positionals : ["wrangler.toml", "workers/evaluator/wrangler.toml"].filter((f) => existsSync(f));
  let remaining = 0;
  for (const file of files) {
    const before = readFileSync(file, "utf8");
    const result = applyTerraformOutputs(before, placeholders);
    remaining += result.missing.length;
    const verb = values["dry-run"] ? "would replace" : "replaced";
    console.log(`${file}: ${verb} ${result.replaced.length > 0 ? result.replaced.join(", ") : "nothing"}`);
    if (result.missing.length > 0) console.warn(`${file}: no value for ${result.missing.join(", ")} (left as is)`);
    if (!values["dry-run"] && result.text !== before) writeFileSync(file, result.text);
  }
  return values.strict && remaining > 0 ? 1 : 0;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  try {
    process.exitCode = main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  }
}
