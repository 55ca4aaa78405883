/**
 * Offline checks of the deployment infrastructure (terraform/, gpu-backends/k8s/) and of
 * scripts/apply-terraform-outputs.ts. No terraform, kubectl or cloud account needed: this is
 * what can be verified from the files alone. `terraform validate` / `terraform test` and
 * `kubectl kustomize` are the tool-based checks (see terraform/README.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The parts of the vLLM container spec the Deployment test reads. */
interface VllmContainer {
  command: string[];
  args: string[];
  resources: { limits: Record<string, string> };
  readinessProbe: { httpGet: { path: string } };
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}
import {
  applyTerraformOutputs,
  PLACEHOLDER_PATTERN,
  placeholdersFromTerraformOutput,
} from "../../scripts/apply-terraform-outputs";

const ROOT = resolve(import.meta.dirname, "../..");
const TF_ROOT = join(ROOT, "terraform");
const K8S_ROOT = join(ROOT, "gpu-backends/k8s");

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === ".terraform" || name === "node_modules") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------
// A small HCL reader: enough structure (comments, strings, braces) to find blocks and the
// attributes at their top level. Not a full parser; the terraform CLI is the real check.
// ---------------------------------------------------------------------------------------

/** Blanks out comments (keeping newlines and string contents) so regexes see only code. */
function stripHclComments(src: string): string {
  let out = "";
  let i = 0;
  let inString = false;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (inString) {
      out += c;
      if (c === "\\") {
        out += next ?? "";
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === "#" || (c === "/" && next === "/")) {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

interface HclBlock {
  type: string;
  labels: string[];
  body: string;
}

/** Top-level blocks `type "label" ... {` with their body (text between the braces). */
function topLevelBlocks(src: string): HclBlock[] {
  const code = stripHclComments(src);
  const blocks: HclBlock[] = [];
  const header = /^([a-z_]+)((?:\s+"[^"]*")*)\s*\{/gm;
  let m: RegExpExecArray | null;
  while ((m = header.exec(code)) !== null) {
    let depth = 1;
    let i = header.lastIndex;
    let inString = false;
    for (; i < code.length && depth > 0; i++) {
      const c = code[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    blocks.push({
      type: m[1]!,
      labels: [...(m[2] ?? "").matchAll(/"([^"]*)"/g)].map((l) => l[1]!),
      body: code.slice(header.lastIndex, i - 1),
    });
    header.lastIndex = i;
  }
  return blocks;
}

/** Attribute names assigned at depth 0 of a block body (`name = ...`). */
function topLevelAttributes(body: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (const line of body.split("\n")) {
    const m = depth === 0 ? /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)/.exec(line) : null;
    if (m) names.push(m[1]!);
    const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const c of code) {
      if (c === "{" || c === "[" || c === "(") depth++;
      else if (c === "}" || c === "]" || c === ")") depth--;
    }
  }
  return names;
}

interface TfModule {
  dir: string;
  files: string[];
  code: string;
  blocks: HclBlock[];
  variables: Map<string, { hasDefault: boolean; hasDescription: boolean }>;
  outputs: Set<string>;
}

function readModule(dir: string): TfModule {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tf"))
    .map((f) => join(dir, f));
  const src = files.map((f) => readFileSync(f, "utf8")).join("\n");
  const blocks = topLevelBlocks(src);
  const variables = new Map<string, { hasDefault: boolean; hasDescription: boolean }>();
  const outputs = new Set<string>();
  for (const b of blocks) {
    if (b.type === "variable") {
      const attrs = topLevelAttributes(b.body);
      variables.set(b.labels[0]!, { hasDefault: attrs.includes("default"), hasDescription: attrs.includes("description") });
    }
    if (b.type === "output") outputs.add(b.labels[0]!);
  }
  return { dir, files, code: stripHclComments(src), blocks, variables, outputs };
}

const moduleDirs = existsSync(TF_ROOT) ? [...new Set(walk(TF_ROOT, (f) => f.endsWith(".tf")).map((f) => dirname(f)))] : [];
const modules = new Map(moduleDirs.map((d) => [d, readModule(d)]));
const rootModule = modules.get(TF_ROOT);

describe("terraform/", () => {
  it("has a root module and the Cloudflare, network, EKS and SageMaker modules", () => {
    expect(rootModule, "terraform/*.tf").toBeDefined();
    for (const f of ["versions.tf", "variables.tf", "outputs.tf", "main.tf", "terraform.tfvars.example", "README.md"]) {
      expect(existsSync(join(TF_ROOT, f)), f).toBe(true);
    }
    const names = moduleDirs.map((d) => relative(TF_ROOT, d)).sort();
    expect(names).toEqual(expect.arrayContaining(["modules/aws-eks-gpu", "modules/aws-network", "modules/aws-sagemaker", "modules/cloudflare"]));
  });

  for (const [dir, mod] of modules) {
    const name = relative(ROOT, dir);

    it(`${name}: every var.X used is declared, every variable has a description`, () => {
      const used = new Set([...mod.code.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1]!));
      const undeclared = [...used].filter((v) => !mod.variables.has(v));
      expect(undeclared, `undeclared variables in ${name}`).toEqual([]);
      const undescribed = [...mod.variables].filter(([, v]) => !v.hasDescription).map(([k]) => k);
      expect(undescribed, `variables without description in ${name}`).toEqual([]);
    });

    it(`${name}: module calls match the called modules' variables and outputs`, () => {
      const meta = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
      const calls = new Map<string, TfModule>();
      for (const b of mod.blocks.filter((blk) => blk.type === "module")) {
        const source = /^\s*source\s*=\s*"([^"]+)"/m.exec(b.body)?.[1];
        expect(source, `module ${b.labels[0]} source`).toMatch(/^\.\.?\//);
        const child = modules.get(resolve(dir, source!));
        expect(child, `module ${b.labels[0]} -> ${source}`).toBeDefined();
        calls.set(b.labels[0]!, child!);
        const args = topLevelAttributes(b.body).filter((a) => !meta.has(a));
        const unknown = args.filter((a) => !child!.variables.has(a));
        expect(unknown, `arguments of module ${b.labels[0]} that ${source} does not declare`).toEqual([]);
        const required = [...child!.variables].filter(([, v]) => !v.hasDefault).map(([k]) => k);
        const notPassed = required.filter((r) => !args.includes(r));
        expect(notPassed, `required variables of ${source} not passed by module ${b.labels[0]}`).toEqual([]);
      }
      for (const m of mod.code.matchAll(/\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\*|\d+)\])?\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        const child = calls.get(m[1]!);
        expect(child, `module.${m[1]} is called in ${name}`).toBeDefined();
        expect(child!.outputs.has(m[2]!), `module.${m[1]}.${m[2]} is an output of ${relative(ROOT, child!.dir)}`).toBe(true);
      }
    });

    it(`${name}: pins its providers and Terraform version`, () => {
      const terraformBlock = mod.blocks.find((b) => b.type === "terraform");
      expect(terraformBlock, `terraform {} block in ${name}`).toBeDefined();
      expect(terraformBlock!.body).toMatch(/required_version\s*=\s*">=\s*1\.9/);
      const usedProviders = new Set(
        mod.blocks.filter((b) => b.type === "resource" || b.type === "data").map((b) => b.labels[0]!.split("_")[0]!),
      );
      for (const p of usedProviders) {
        expect(terraformBlock!.body, `${name} pins provider ${p}`).toMatch(new RegExp(`${p}\\s*=\\s*\\{[^}]*version\\s*=\\s*"~>\\s*\\d+\\.\\d+"`));
      }
    });
  }

  it("the cloudflare module uses the v5 resource names and attributes", () => {
    const cf = modules.get(join(TF_ROOT, "modules/cloudflare"))!;
    const types = cf.blocks.filter((b) => b.type === "resource").map((b) => b.labels[0]);
    expect(types).toEqual(
      expect.arrayContaining(["cloudflare_d1_database", "cloudflare_workers_kv_namespace", "cloudflare_queue"]),
    );
    for (const q of cf.blocks.filter((b) => b.type === "resource" && b.labels[0] === "cloudflare_queue")) {
      // v4 called it `name`; v5 `queue_name`.
      expect(topLevelAttributes(q.body)).toContain("queue_name");
    }
    const versions = readFileSync(join(TF_ROOT, "versions.tf"), "utf8");
    expect(versions).toMatch(/cloudflare\s*=\s*\{[^}]*version\s*=\s*"~>\s*5\./);
  });

  it("terraform.tfvars.example only sets declared root variables", () => {
    const example = stripHclComments(readFileSync(join(TF_ROOT, "terraform.tfvars.example"), "utf8"));
    const keys = topLevelAttributes(example);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !rootModule!.variables.has(k))).toEqual([]);
  });

  it("defaults agree with wrangler.toml and config/models.production.json", () => {
    const vars = readFileSync(join(TF_ROOT, "variables.tf"), "utf8");
    const defaultOf = (name: string): string | undefined => {
      const block = topLevelBlocks(vars).find((b) => b.type === "variable" && b.labels[0] === name);
      return block ? /^\s*default\s*=\s*"?([^"\n]*)"?/m.exec(block.body)?.[1] : undefined;
    };
    const wrangler = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    const evaluator = readFileSync(join(ROOT, "workers/evaluator/wrangler.toml"), "utf8");
    expect(wrangler).toContain(`database_name = "${defaultOf("d1_database_name")}"`);
    expect(wrangler).toContain(`queue = "${defaultOf("usage_queue_name")}"`);
    expect(evaluator).toContain(`dead_letter_queue = "${defaultOf("usage_dlq_name")}"`);
    // The strong-judge escalation queue the evaluator both produces and consumes.
    const escalations = /resource "cloudflare_queue" "judge_escalations" \{[^}]*queue_name = "([^"]+)"/.exec(readFileSync(join(TF_ROOT, "modules/cloudflare/main.tf"), "utf8"))?.[1];
    expect(escalations).toBe("llm-gateway-judge-escalations");
    expect(evaluator.match(new RegExp(`queue = "${escalations}"`, "g"))?.length).toBe(4); // producer + consumer, local and production
    expect(wrangler).toContain(`bucket_name = "${defaultOf("archive_bucket_name")}"`);
    expect(evaluator).toContain(`bucket_name = "${defaultOf("archive_bucket_name")}"`);
    expect(wrangler).toContain(`index_name = "${defaultOf("vectorize_index_name")}"`);
    expect(defaultOf("vectorize_dimensions")).toBe("768");
    expect(defaultOf("vectorize_metric")).toBe("cosine");

    const registry = JSON.parse(readFileSync(join(ROOT, "config/models.production.json"), "utf8")) as {
      models: { upstream: { kind: string; endpointName?: string; region?: string; baseUrl?: string }; upstreamModel: string }[];
    };
    const sagemaker = registry.models.find((m) => m.upstream.kind === "sagemaker");
    expect(defaultOf("sagemaker_endpoint_name")).toBe(sagemaker?.upstream.endpointName);
    expect(defaultOf("aws_region")).toBe(sagemaker?.upstream.region);
    const vllm = registry.models.find((m) => m.upstream.baseUrl === "{env:VLLM_BASE_URL}");
    expect(defaultOf("small_model_id")).toBe(vllm?.upstreamModel);
  });

  it("wrangler_placeholders covers every REPLACE-WITH placeholder of both wrangler.toml files", () => {
    const outputs = topLevelBlocks(readFileSync(join(TF_ROOT, "outputs.tf"), "utf8"));
    const block = outputs.find((b) => b.type === "output" && b.labels[0] === "wrangler_placeholders");
    expect(block).toBeDefined();
    const offered = new Set([...block!.body.matchAll(/"(REPLACE-WITH-[A-Z0-9-]+)"\s*=/g)].map((m) => m[1]!));
    for (const file of ["wrangler.toml", "workers/evaluator/wrangler.toml"]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const wanted = new Set(text.match(PLACEHOLDER_PATTERN) ?? []);
      expect([...wanted].filter((p) => !offered.has(p)), `${file} placeholders without a terraform output`).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Kubernetes manifests
// ---------------------------------------------------------------------------------------

type YamlModule = typeof import("yaml");
// `yaml` is in node_modules (a dependency of the toolchain), not a direct dependency: use it
// when present, skip the parse checks otherwise.
const yamlLib: YamlModule | null = await import("yaml").catch(() => null);
// files/ folders hold ConfigMap data (e.g. the LoRA trainer's config), not Kubernetes objects.
const manifestFiles = existsSync(K8S_ROOT) ? walk(K8S_ROOT, (f) => /\.ya?ml$/.test(f) && !f.includes("/files/")) : [];

describe("gpu-backends/k8s/", () => {
  it("has base, cluster and the trtllm overlay", () => {
    for (const f of ["base/kustomization.yaml", "cluster/kustomization.yaml", "overlays/trtllm/kustomization.yaml", "README.md"]) {
      expect(existsSync(join(K8S_ROOT, f)), f).toBe(true);
    }
  });

  describe.skipIf(yamlLib === null)("YAML", () => {
    const docsOf = (file: string): Record<string, unknown>[] => {
      const docs = yamlLib!.parseAllDocuments(readFileSync(file, "utf8"));
      const list = Array.isArray(docs) ? docs : [docs];
      for (const d of list) {
        expect(d.errors.map((e) => e.message), relative(ROOT, file)).toEqual([]);
      }
      return list.map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
    };

    for (const file of manifestFiles) {
      const name = relative(ROOT, file);
      it(`${name} parses`, () => {
        const docs = docsOf(file);
        expect(docs.length).toBeGreaterThan(0);
        const isPatchList = Array.isArray(docs[0]);
        if (!isPatchList) {
          for (const doc of docs) {
            expect(typeof doc.apiVersion, `${name} apiVersion`).toBe("string");
            expect(typeof doc.kind, `${name} kind`).toBe("string");
          }
        }
      });
    }

    it("every kustomization references files that exist", () => {
      for (const file of manifestFiles.filter((f) => f.endsWith("kustomization.yaml"))) {
        const k = docsOf(file)[0] as {
          resources?: string[];
          patches?: { path?: string }[];
          configMapGenerator?: { files?: string[] }[];
        };
        const dir = dirname(file);
        const refs = [
          ...(k.resources ?? []),
          ...(k.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
          ...(k.configMapGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split("=").pop()!)),
        ];
        for (const ref of refs) expect(existsSync(join(dir, ref)), `${relative(ROOT, file)} -> ${ref}`).toBe(true);
      }
    });

    it("the vLLM Deployment requests a GPU, probes /health and takes its key from a Secret", () => {
      const [deploy] = docsOf(join(K8S_ROOT, "base/deployment.yaml")) as {
        spec: { template: { spec: { containers: VllmContainer[]; tolerations: { key: string }[] } } };
      }[];
      const c = deploy!.spec.template.spec.containers[0]!;
      expect(c.command).toEqual(["vllm", "serve"]);
      expect(c.args.slice(0, 5)).toEqual(["meta-llama/Llama-3.1-8B-Instruct", "--port", "8000", "--api-key", "$(VLLM_API_KEY)"]);
      expect(c.resources.limits["nvidia.com/gpu"]).toBe("1");
      expect(c.readinessProbe.httpGet.path).toBe("/health");
      const key = c.env.find((e) => e.name === "VLLM_API_KEY");
      expect(key?.valueFrom?.secretKeyRef).toMatchObject({ name: "vllm-api-key", key: "VLLM_API_KEY" });
      expect(deploy!.spec.template.spec.tolerations.map((t) => t.key)).toContain("nvidia.com/gpu");
    });

    it("KEDA scales on vllm:num_requests_waiting within the GPU node group's maximum", () => {
      const [so] = docsOf(join(K8S_ROOT, "base/scaledobject.yaml")) as {
        kind: string;
        spec: { maxReplicaCount: number; scaleTargetRef: { name: string }; triggers: { type: string; metadata: { query: string } }[] };
      }[];
      expect(so!.kind).toBe("ScaledObject");
      expect(so!.spec.scaleTargetRef.name).toBe("small-model");
      expect(so!.spec.triggers[0]!.type).toBe("prometheus");
      expect(so!.spec.triggers[0]!.metadata.query).toContain("vllm:num_requests_waiting");
      const vars = readFileSync(join(TF_ROOT, "variables.tf"), "utf8");
      const gpuMax = Number(/variable "gpu_max_size"[\s\S]*?default\s*=\s*(\d+)/.exec(vars)?.[1]);
      expect(so!.spec.maxReplicaCount).toBeLessThanOrEqual(gpuMax);
    });
  });
});

// ---------------------------------------------------------------------------------------
// scripts/apply-terraform-outputs.ts
// ---------------------------------------------------------------------------------------

describe("apply-terraform-outputs", () => {
  const sample = `[vars]
VLLM_BASE_URL = "https://vllm.internal.example.com/v1"

[[d1_databases]]
binding = "DB"
database_id = "00000000-0000-0000-0000-000000000001"

[env.production]
# placeholders: REPLACE-WITH-... are filled from terraform output
[[env.production.d1_databases]]
binding = "DB"
database_id = "REPLACE-WITH-D1-DATABASE-ID"

[[env.production.kv_namespaces]]
binding = "CACHE_KV"
id = "REPLACE-WITH-CACHE-KV-ID"

[[env.production.kv_namespaces]]
binding = "KEYS_KV"
id = "REPLACE-WITH-KEYS-KV-ID"

[[env.production.kv_namespaces]]
binding = "OTHER_KV"
id = "REPLACE-WITH-KEYS-KV-ID-2"
`;
  const values = {
    "REPLACE-WITH-D1-DATABASE-ID": "1b2c3d4e-0000-4000-8000-abcdefabcdef",
    "REPLACE-WITH-CACHE-KV-ID": "0123456789abcdef0123456789abcdef",
    "REPLACE-WITH-KEYS-KV-ID": "fedcba9876543210fedcba9876543210",
  };

  it("replaces exactly the placeholders it has values for and nothing else", () => {
    const r = applyTerraformOutputs(sample, values);
    expect(r.replaced).toEqual(["REPLACE-WITH-D1-DATABASE-ID", "REPLACE-WITH-CACHE-KV-ID", "REPLACE-WITH-KEYS-KV-ID"]);
    expect(r.text).toContain('database_id = "1b2c3d4e-0000-4000-8000-abcdefabcdef"');
    expect(r.text).toContain('id = "0123456789abcdef0123456789abcdef"');
    expect(r.text).toContain('id = "fedcba9876543210fedcba9876543210"');
    // A longer placeholder is a different token: not partially replaced, reported instead.
    expect(r.text).toContain('id = "REPLACE-WITH-KEYS-KV-ID-2"');
    expect(r.missing).toEqual(["REPLACE-WITH-KEYS-KV-ID-2"]);
    expect(r.unused).toEqual([]);
    // Everything outside the placeholders is byte-identical.
    const reverted = Object.entries(values).reduce((t, [k, v]) => t.split(v).join(k), r.text);
    expect(reverted).toBe(sample);
    expect(r.text).toContain('VLLM_BASE_URL = "https://vllm.internal.example.com/v1"');
    expect(r.text).toContain('database_id = "00000000-0000-0000-0000-000000000001"');
  });

  it("is idempotent and reports values whose placeholder is gone", () => {
    const once = applyTerraformOutputs(sample, values).text;
    const twice = applyTerraformOutputs(once, values);
    expect(twice.text).toBe(once);
    expect(twice.replaced).toEqual([]);
    expect(twice.unused.sort()).toEqual(Object.keys(values).sort());
  });

  it("refuses values that could break the TOML and names that are not placeholders", () => {
    expect(() => applyTerraformOutputs(sample, { "REPLACE-WITH-D1-DATABASE-ID": 'x"\nmain = "evil' })).toThrow(/REPLACE-WITH-D1-DATABASE-ID/);
    expect(() => applyTerraformOutputs(sample, { "REPLACE-WITH-D1-DATABASE-ID": "" })).toThrow();
    expect(() => applyTerraformOutputs(sample, { VLLM_BASE_URL: "https://evil.example" })).toThrow(/placeholder/);
  });

  it("reads wrangler_placeholders from `terraform output -json`", () => {
    const json = {
      d1_database_id: { sensitive: false, type: "string", value: values["REPLACE-WITH-D1-DATABASE-ID"] },
      wrangler_placeholders: { sensitive: false, type: ["object", {}], value: values },
    };
    expect(placeholdersFromTerraformOutput(json)).toEqual(values);
    expect(() => placeholdersFromTerraformOutput({})).toThrow(/wrangler_placeholders/);
    expect(() => placeholdersFromTerraformOutput({ wrangler_placeholders: { value: ["x"] } })).toThrow();
  });

  it("fills every placeholder of the real wrangler.toml files", () => {
    for (const file of ["wrangler.toml", "workers/evaluator/wrangler.toml"]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const r = applyTerraformOutputs(text, values);
      expect(r.missing, file).toEqual([]);
      expect(r.text.match(PLACEHOLDER_PATTERN), file).toBeNull();
    }
  });
});
