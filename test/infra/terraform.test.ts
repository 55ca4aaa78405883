/**
 * Offline checks of the Terraform configuration (terraform/) and of
 * scripts/apply-terraform-outputs.ts. No terraform CLI or cloud account needed: every .tf file
 * is parsed by the HCL parser (@cdktf/hcl2json, see terraform-config.ts) and the tests assert
 * against that structure. `terraform validate` / `terraform test` are the tool-based checks
 * (see terraform/README.md); the Kubernetes manifests are checked in k8s-manifests.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyTerraformOutputs,
  PLACEHOLDER_PATTERN,
  placeholdersFromTerraformOutput,
} from "../../scripts/apply-terraform-outputs";
import { expressionsOf, parseHcl, parseHclText, readTerraform, referencesOf, type HclBody, type TfModule } from "./terraform-config";

const ROOT = resolve(import.meta.dirname, "../..");
const TF_ROOT = join(ROOT, "terraform");

const modules = await readTerraform(TF_ROOT);
const moduleDirs = [...modules.keys()];
const rootModule = modules.get(TF_ROOT);
const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

/** `required_providers { p = { version = ... } }` of a module's terraform blocks. */
const requiredProviders = (mod: TfModule): Record<string, { version?: unknown }> =>
  Object.assign({}, ...mod.terraform.flatMap((t) => (t.required_providers ?? []) as Record<string, { version?: unknown }>[])) as Record<string, { version?: unknown }>;

const rootDefault = (name: string): unknown => rootModule?.variables.get(name)?.default;

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

    it(`${name}: every var.X used is declared, every variable has a description, nothing is declared twice`, () => {
      const used = new Set(mod.references.filter((r) => r.kind === "var").map((r) => r.name));
      const undeclared = [...used].filter((v) => !mod.variables.has(v));
      expect(undeclared, `undeclared variables in ${name}`).toEqual([]);
      const undescribed = [...mod.variables].filter(([, v]) => typeof v.description !== "string" || v.description.trim() === "").map(([k]) => k);
      expect(undescribed, `variables without description in ${name}`).toEqual([]);
      expect(mod.duplicates, `blocks declared twice in ${name}`).toEqual([]);
    });

    it(`${name}: module calls match the called modules' variables and outputs`, () => {
      const calls = new Map<string, TfModule>();
      for (const [callName, body] of mod.calls) {
        const source = body.source;
        expect(source, `module ${callName} source`).toMatch(/^\.\.?\//);
        const child = modules.get(resolve(dir, String(source)));
        expect(child, `module ${callName} -> ${String(source)}`).toBeDefined();
        calls.set(callName, child!);
        const args = Object.keys(body).filter((a) => !META_ARGUMENTS.has(a));
        const unknown = args.filter((a) => !child!.variables.has(a));
        expect(unknown, `arguments of module ${callName} that ${String(source)} does not declare`).toEqual([]);
        const required = [...child!.variables].filter(([, v]) => !Object.hasOwn(v, "default")).map(([k]) => k);
        const notPassed = required.filter((r) => !args.includes(r));
        expect(notPassed, `required variables of ${String(source)} not passed by module ${callName}`).toEqual([]);
      }
      for (const ref of mod.references.filter((r) => r.kind === "module")) {
        const child = calls.get(ref.name);
        expect(child, `module.${ref.name} is called in ${name}`).toBeDefined();
        if (ref.attribute === undefined) continue;
        expect(child!.outputs.has(ref.attribute), `module.${ref.name}.${ref.attribute} is an output of ${relative(ROOT, child!.dir)}`).toBe(true);
      }
    });

    it(`${name}: pins its providers and Terraform version`, () => {
      expect(mod.terraform.length, `terraform {} block in ${name}`).toBeGreaterThan(0);
      expect(mod.terraform.map((t) => t.required_version)).toContainEqual(expect.stringMatching(/^>=\s*1\.9/));
      const pinned = requiredProviders(mod);
      const usedProviders = new Set([...mod.resources, ...mod.dataSources].map((r) => r.type.split("_")[0]!));
      for (const p of usedProviders) {
        expect(pinned[p]?.version, `${name} pins provider ${p}`).toMatch(/^~>\s*\d+\.\d+$/);
      }
    });
  }

  it("the HCL parser refuses malformed HCL (so a broken .tf fails these tests)", async () => {
    await expect(parseHclText("broken.tf", 'variable "x" {\n  default =\n}\n')).rejects.toThrow(/broken\.tf/);
  });

  it("the cloudflare module uses the v5 resource names and attributes", () => {
    const cf = modules.get(join(TF_ROOT, "modules/cloudflare"))!;
    const types = cf.resources.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["cloudflare_d1_database", "cloudflare_workers_kv_namespace", "cloudflare_queue"]));
    for (const q of cf.resources.filter((r) => r.type === "cloudflare_queue")) {
      // v4 called it `name`; v5 `queue_name`.
      expect(Object.keys(q.body), `cloudflare_queue.${q.name}`).toContain("queue_name");
    }
    expect(requiredProviders(rootModule!).cloudflare?.version).toMatch(/^~>\s*5\./);
  });

  it("terraform.tfvars.example only sets declared root variables", async () => {
    const keys = Object.keys(await parseHcl(join(TF_ROOT, "terraform.tfvars.example")));
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !rootModule!.variables.has(k))).toEqual([]);
  });

  it("tests/plan.tftest.hcl sets declared root variables and asserts on declared outputs", async () => {
    const file = join(TF_ROOT, "tests/plan.tftest.hcl");
    const spec = await parseHcl(file);
    const runs = Object.values((spec.run ?? {}) as Record<string, HclBody[]>).flat();
    expect(runs.length).toBeGreaterThan(1);
    const set = [spec, ...runs].flatMap((b) => ((b.variables ?? []) as HclBody[]).flatMap((v) => Object.keys(v)));
    expect(set.filter((k) => !rootModule!.variables.has(k))).toEqual([]);
    const refs = (await Promise.all(expressionsOf(runs).map((e) => referencesOf(file, e)))).flat();
    const outputs = refs.filter((r) => r.kind === "output").map((r) => r.name);
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.filter((o) => !rootModule!.outputs.has(o))).toEqual([]);
    expect(refs.filter((r) => r.kind === "module" && !rootModule!.calls.has(r.name))).toEqual([]);
  });

  it("defaults agree with wrangler.toml and config/models.production.json", () => {
    const wrangler = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    const evaluator = readFileSync(join(ROOT, "workers/evaluator/wrangler.toml"), "utf8");
    const named = (variable: string): string => {
      const value = rootDefault(variable);
      expect(typeof value, `default of ${variable}`).toBe("string");
      return value as string;
    };
    expect(wrangler).toContain(`database_name = "${named("d1_database_name")}"`);
    expect(wrangler).toContain(`queue = "${named("usage_queue_name")}"`);
    expect(evaluator).toContain(`dead_letter_queue = "${named("usage_dlq_name")}"`);
    // The strong-judge escalation queue the evaluator both produces and consumes.
    const cf = modules.get(join(TF_ROOT, "modules/cloudflare"))!;
    const escalations = cf.resources.find((r) => r.type === "cloudflare_queue" && r.name === "judge_escalations")?.body.queue_name;
    expect(escalations).toBe("llm-gateway-judge-escalations");
    expect(evaluator.match(new RegExp(`queue = "${String(escalations)}"`, "g"))?.length).toBe(4); // producer + consumer, local and production
    expect(wrangler).toContain(`bucket_name = "${named("archive_bucket_name")}"`);
    expect(evaluator).toContain(`bucket_name = "${named("archive_bucket_name")}"`);
    expect(wrangler).toContain(`index_name = "${named("vectorize_index_name")}"`);
    expect(rootDefault("vectorize_dimensions")).toBe(768);
    expect(rootDefault("vectorize_metric")).toBe("cosine");

    const registry = JSON.parse(readFileSync(join(ROOT, "config/models.production.json"), "utf8")) as {
      models: { upstream: { kind: string; endpointName?: string; region?: string; baseUrl?: string }; upstreamModel: string }[];
    };
    const sagemaker = registry.models.find((m) => m.upstream.kind === "sagemaker");
    expect(rootDefault("sagemaker_endpoint_name")).toBe(sagemaker?.upstream.endpointName);
    expect(rootDefault("aws_region")).toBe(sagemaker?.upstream.region);
    const vllm = registry.models.find((m) => m.upstream.baseUrl === "{env:VLLM_BASE_URL}");
    expect(rootDefault("small_model_id")).toBe(vllm?.upstreamModel);
  });

  it("wrangler_placeholders covers every REPLACE-WITH placeholder of both wrangler.toml files", () => {
    const value = rootModule!.outputs.get("wrangler_placeholders")?.value;
    expect(value).toBeTypeOf("object");
    const offered = new Set(Object.keys(value as HclBody).filter((k) => /^REPLACE-WITH-[A-Z0-9-]+$/.test(k)));
    for (const file of ["wrangler.toml", "workers/evaluator/wrangler.toml"]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const wanted = new Set(text.match(PLACEHOLDER_PATTERN) ?? []);
      expect([...wanted].filter((p) => !offered.has(p)), `${file} placeholders without a terraform output`).toEqual([]);
    }
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
