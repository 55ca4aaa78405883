/**
 * Kubernetes manifests checked offline: YAML parsed with `yaml`, every object validated against
 * the OpenAPI schemas bundled in kubernetes-models (CRDs: @kubernetes-models/keda and
 * prometheus-operator), kustomizations read through a strict schema, and overlays rendered by
 * applying their JSON 6902 patches (fast-json-patch) so the patched objects are validated too.
 * `kubectl kustomize` is the full renderer where kubectl exists; these checks need no binary.
 */
import fastJsonPatch, { type Operation } from "fast-json-patch";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { z } from "zod";

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata?: { name?: string } };

/** Parses a multi-document YAML text; a syntax error throws, naming the source. */
export function parseYamlDocs(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const errors = list.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) throw new Error(`${source}: ${errors.join("; ")}`);
  return list.map((d) => d.toJS() as unknown).filter((d) => d !== null);
}

/** API group -> npm package holding its models; built-in groups are in kubernetes-models. */
const MODEL_PACKAGES: Record<string, string> = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};
type ModelClass = new (data: object) => { validate(): void };

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | string> {
  // Both end up in an import path: only what Kubernetes allows in them.
  if (!/^(?:[a-z0-9.-]+\/)?v\d+(?:(?:alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return `not a Kubernetes apiVersion/kind: ${apiVersion} ${kind}`;
  }
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const pkg = MODEL_PACKAGES[group] ?? "kubernetes-models";
  try {
    const mod = (await import(/* @vite-ignore */ `${pkg}/${apiVersion}/${kind}`)) as Record<string, unknown>;
    const model = mod[kind];
    if (typeof model === "function") return model as ModelClass;
  } catch {
    // A missing module is an unknown kind, reported below.
  }
  return `unknown kind ${kind} in ${apiVersion} (no model in ${pkg})`;
}

/** Schema errors of one object ([] when valid); an unknown apiVersion/kind is an error. */
export async function validateManifest(doc: unknown): Promise<string[]> {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["not a mapping"];
  const { apiVersion, kind } = doc as Record<string, unknown>;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind must be strings"];
  const model = await modelFor(apiVersion, kind);
  if (typeof model === "string") return [model];
  try {
    new model(doc).validate();
    return [];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

const PatchTarget = z.object({ kind: z.string(), name: z.string() }).strict();
/** The kustomize fields this repo uses; strict, so a misspelt field fails instead of being ignored. */
export const KustomizationSchema = z
  .object({
    apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
    kind: z.literal("Kustomization"),
    namespace: z.string().optional(),
    labels: z.array(z.object({ pairs: z.record(z.string(), z.string()), includeSelectors: z.boolean().optional() }).strict()).optional(),
    resources: z.array(z.string()).optional(),
    patches: z.array(z.object({ target: PatchTarget, path: z.string().optional(), patch: z.string().optional() }).strict()).optional(),
    configMapGenerator: z
      .array(z.object({ name: z.string(), files: z.array(z.string()).optional(), literals: z.array(z.string()).optional() }).strict())
      .optional(),
  })
  .strict();
export type Kustomization = z.infer<typeof KustomizationSchema>;

export function readKustomization(dir: string): Kustomization {
  const file = join(dir, "kustomization.yaml");
  return KustomizationSchema.parse(parseYamlDocs(readFileSync(file, "utf8"), file)[0]);
}

const OperationsSchema = z.array(
  z.object({ op: z.enum(["add", "remove", "replace", "move", "copy", "test"]), path: z.string(), value: z.unknown().optional(), from: z.string().optional() }).strict(),
);

/** Applies RFC 6902 operations to a copy of doc; a path that does not resolve throws. */
export function applyJsonPatch(doc: K8sObject, operations: unknown): K8sObject {
  const ops = OperationsSchema.parse(operations) as Operation[];
  return fastJsonPatch.applyPatch(structuredClone(doc), ops, true, false).newDocument;
}

/**
 * The objects a kustomization yields before kustomize's transformers (namespace, labels,
 * generated ConfigMaps): its resources, folders recursively, with its JSON 6902 patches applied.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  const objects = (k.resources ?? []).flatMap((ref): K8sObject[] => {
    const path = join(dir, ref);
    if (statSync(path).isDirectory()) return renderKustomization(path);
    return parseYamlDocs(readFileSync(path, "utf8"), path) as K8sObject[];
  });
  for (const p of k.patches ?? []) {
    const text = p.path !== undefined ? readFileSync(join(dir, p.path), "utf8") : (p.patch ?? "");
    const [operations] = parseYamlDocs(text, `${dir} patch of ${p.target.kind}/${p.target.name}`);
    if (!Array.isArray(operations)) throw new Error(`${dir}: only JSON 6902 patches are rendered offline (target ${p.target.kind}/${p.target.name})`);
    const i = objects.findIndex((o) => o.kind === p.target.kind && o.metadata?.name === p.target.name);
    if (i === -1) throw new Error(`${dir}: patch target ${p.target.kind}/${p.target.name} not among the resources`);
    objects[i] = applyJsonPatch(objects[i]!, operations);
  }
  return objects;
}

/** Files a kustomization names (resources, patch files, generator files) that do not exist. */
export function missingReferences(dir: string): string[] {
  const k = readKustomization(dir);
  const refs = [
    ...(k.resources ?? []),
    ...(k.patches ?? []).flatMap((p) => (p.path !== undefined ? [p.path] : [])),
    ...(k.configMapGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split("=").pop()!)),
  ];
  return refs.filter((ref) => !existsSync(join(dir, ref)));
}
