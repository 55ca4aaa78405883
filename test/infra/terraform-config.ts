/**
 * Terraform configuration as the HCL parser (@cdktf/hcl2json, HashiCorp's hcl library compiled
 * to WASM) reads it: one TfModule per folder of .tf files, with the references of every
 * expression. The infra tests assert against this structure instead of regexes over the text.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";

/** The two entry points used. Loaded untyped: the package's .d.ts pulls in `lib="dom"`, which
 * clashes with the Workers types the whole project compiles against. */
interface Hcl2Json {
  parse(filename: string, contents: string): Promise<unknown>;
  getReferencesInExpression(filename: string, expression: string): Promise<{ value: string; startPosition: number; endPosition: number }[]>;
}
const hcl2json = createRequire(import.meta.url)("@cdktf/hcl2json") as Hcl2Json;

const Body = z.record(z.string(), z.unknown());
const Labeled = z.record(z.string(), z.array(Body));
const TypedLabeled = z.record(z.string(), Labeled);
/** Top-level blocks of a .tf file; strict, so a misspelt block type fails the load. */
const TfFileSchema = z
  .object({
    terraform: z.array(Body),
    provider: Labeled,
    variable: Labeled,
    output: Labeled,
    locals: z.array(Body),
    module: Labeled,
    resource: TypedLabeled,
    data: TypedLabeled,
  })
  .partial()
  .strict();
type TfFile = z.infer<typeof TfFileSchema>;
export type HclBody = z.infer<typeof Body>;

export interface TfResource {
  type: string;
  name: string;
  body: HclBody;
}

/** A reference such as `var.x`, `module.eks.cluster_name` or `module.network` (no attribute read). */
export interface TfReference {
  kind: string;
  name: string;
  attribute?: string;
}

export interface TfModule {
  dir: string;
  files: string[];
  terraform: HclBody[];
  variables: Map<string, HclBody>;
  outputs: Map<string, HclBody>;
  calls: Map<string, HclBody>;
  resources: TfResource[];
  dataSources: TfResource[];
  references: TfReference[];
  /** `variable "x"` declared twice and the like: terraform refuses those. */
  duplicates: string[];
}

/** Parses HCL text into hcl2json's JSON form; a syntax error rejects, naming the file. */
export async function parseHclText(filename: string, contents: string): Promise<HclBody> {
  return Body.parse(await hcl2json.parse(filename, contents));
}

/** Parses one HCL file (a .tf, .tfvars or .tftest.hcl). */
export function parseHcl(file: string): Promise<HclBody> {
  return parseHclText(file, readFileSync(file, "utf8"));
}

/** Every string of a parsed body that holds a template (`${...}`), map keys included. */
export function expressionsOf(value: unknown): string[] {
  if (typeof value === "string") return value.includes("${") ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(expressionsOf);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [...expressionsOf(k), ...expressionsOf(v)]);
  }
  return [];
}

/** The parser's references of one expression; `module.m[*].out` keeps `out` (the parser stops at the splat). */
export async function referencesOf(file: string, expression: string): Promise<TfReference[]> {
  const refs = await hcl2json.getReferencesInExpression(file, expression);
  return refs.map((r) => {
    const [kind = "", name = "", ...rest] = r.value.split(".").filter((p) => !/^\d+$/.test(p));
    const splat = /^\[(?:\*|\d+)\]\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(expression.slice(r.endPosition))?.[1];
    const attribute = rest[0] ?? splat;
    return attribute === undefined ? { kind, name } : { kind, name, attribute };
  });
}

function labeled(into: Map<string, HclBody>, blocks: Record<string, HclBody[]> | undefined, what: string, duplicates: string[]): void {
  for (const [name, bodies] of Object.entries(blocks ?? {})) {
    if (into.has(name) || bodies.length !== 1) duplicates.push(`${what} "${name}"`);
    into.set(name, bodies[0]!);
  }
}

function typed(into: TfResource[], blocks: Record<string, Record<string, HclBody[]>> | undefined, what: string, duplicates: string[]): void {
  for (const [type, byName] of Object.entries(blocks ?? {})) {
    for (const [name, bodies] of Object.entries(byName)) {
      if (bodies.length !== 1 || into.some((r) => r.type === type && r.name === name)) duplicates.push(`${what} "${type}" "${name}"`);
      into.push({ type, name, body: bodies[0]! });
    }
  }
}

async function readModule(dir: string): Promise<TfModule> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tf"))
    .sort()
    .map((f) => join(dir, f));
  const mod: TfModule = { dir, files, terraform: [], variables: new Map(), outputs: new Map(), calls: new Map(), resources: [], dataSources: [], references: [], duplicates: [] };
  for (const file of files) {
    const raw = await parseHcl(file);
    const tf: TfFile = TfFileSchema.parse(raw);
    mod.terraform.push(...(tf.terraform ?? []));
    labeled(mod.variables, tf.variable, "variable", mod.duplicates);
    labeled(mod.outputs, tf.output, "output", mod.duplicates);
    labeled(mod.calls, tf.module, "module", mod.duplicates);
    typed(mod.resources, tf.resource, "resource", mod.duplicates);
    typed(mod.dataSources, tf.data, "data", mod.duplicates);
    for (const expression of expressionsOf(raw)) mod.references.push(...(await referencesOf(file, expression)));
  }
  return mod;
}

function tfDirs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === ".terraform") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tfDirs(path));
    else if (name.endsWith(".tf")) out.push(dirname(path));
  }
  return [...new Set(out)].sort();
}

/** Every folder under root holding .tf files, parsed. */
export async function readTerraform(root: string): Promise<Map<string, TfModule>> {
  const modules = new Map<string, TfModule>();
  for (const dir of tfDirs(root)) modules.set(dir, await readModule(dir));
  return modules;
}
