/**
 * Offline checks of the Kubernetes manifests (gpu-backends/k8s/): every object validated
 * against the Kubernetes (and KEDA / prometheus-operator CRD) schemas of kubernetes-models,
 * overlays rendered with their patches and validated, kustomizations read strictly, and the
 * serving specifics the gateway relies on. `kubectl kustomize` adds the full render where
 * kubectl exists; nothing here needs it.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { applyJsonPatch, missingReferences, parseYamlDocs, renderKustomization, validateManifest, type K8sObject } from "./k8s-manifests";
import { parseHcl } from "./terraform-config";

const execFileAsync = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const K8S_ROOT = join(ROOT, "gpu-backends/k8s");

/** The parts of the vLLM container spec the Deployment test reads. */
interface VllmContainer {
  command: string[];
  args: string[];
  resources: { limits: Record<string, string> };
  readinessProbe: { httpGet: { path: string } };
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === "files" ? [] : yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    })
    .sort();
}

// files/ folders hold ConfigMap data (e.g. the LoRA trainer's config), not Kubernetes objects.
const manifestFiles = yamlFiles(K8S_ROOT);
const kustomizationDirs = manifestFiles.filter((f) => f.endsWith("/kustomization.yaml")).map(dirname);
const objectFiles = manifestFiles.filter((f) => !f.endsWith("/kustomization.yaml"));
const docsOf = (file: string): unknown[] => parseYamlDocs(readFileSync(file, "utf8"), relative(ROOT, file));
const hasKubectl = (() => {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("gpu-backends/k8s/", () => {
  it("has base, cluster, training and the trtllm overlay", () => {
    for (const f of ["base/kustomization.yaml", "cluster/kustomization.yaml", "overlays/trtllm/kustomization.yaml", "training/kustomization.yaml", "README.md"]) {
      expect(existsSync(join(K8S_ROOT, f)), f).toBe(true);
    }
  });

  for (const file of objectFiles) {
    const name = relative(ROOT, file);
    it(`${name} parses and its objects match the Kubernetes schemas`, async () => {
      const docs = docsOf(file);
      expect(docs.length).toBeGreaterThan(0);
      // A patch file (a JSON 6902 operation list) is checked through its overlay below.
      if (Array.isArray(docs[0])) return;
      for (const doc of docs) expect(await validateManifest(doc), name).toEqual([]);
    });
  }

  for (const dir of kustomizationDirs) {
    const name = relative(ROOT, dir);
    it(`${name}: the kustomization is well-formed, its files exist, its rendered objects are valid`, async () => {
      expect(missingReferences(dir), `${name}/kustomization.yaml`).toEqual([]);
      const objects = renderKustomization(dir);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(await validateManifest(o), `${name}: ${o.kind}/${o.metadata?.name}`).toEqual([]);
    });
  }

  it("the trtllm overlay swaps the engine and the autoscaling metric", () => {
    const objects = renderKustomization(join(K8S_ROOT, "overlays/trtllm"));
    const deploy = objects.find((o) => o.kind === "Deployment") as unknown as { spec: { template: { spec: { containers: { name: string; command?: string[] }[] } } } };
    expect(deploy.spec.template.spec.containers[0]!.command).toEqual(["trtllm-serve"]);
    const so = objects.find((o) => o.kind === "ScaledObject") as unknown as { spec: { triggers: { metadata: { query: string } }[] } };
    expect(so.spec.triggers[0]!.metadata.query).toContain("nginx_connections_writing");
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

  it("KEDA scales on vllm:num_requests_waiting within the GPU node group's maximum", async () => {
    const [so] = docsOf(join(K8S_ROOT, "base/scaledobject.yaml")) as {
      kind: string;
      spec: { maxReplicaCount: number; scaleTargetRef: { name: string }; triggers: { type: string; metadata: { query: string } }[] };
    }[];
    expect(so!.kind).toBe("ScaledObject");
    expect(so!.spec.scaleTargetRef.name).toBe("small-model");
    expect(so!.spec.triggers[0]!.type).toBe("prometheus");
    expect(so!.spec.triggers[0]!.metadata.query).toContain("vllm:num_requests_waiting");
    const variables = (await parseHcl(join(ROOT, "terraform/variables.tf"))).variable as Record<string, { default?: unknown }[]>;
    const gpuMax = variables.gpu_max_size?.[0]?.default;
    expect(gpuMax).toBeTypeOf("number");
    expect(so!.spec.maxReplicaCount).toBeLessThanOrEqual(gpuMax as number);
  });

  describe("a malformed manifest fails", () => {
    const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
${spec}`;
    const valid = `  selector:
    matchLabels: { app: demo }
  template:
    metadata:
      labels: { app: demo }
    spec:
      containers:
        - name: app
          image: nginx:1.27
`;

    it("accepts the well-formed control", async () => {
      expect(await validateManifest(parseYamlDocs(deployment(valid), "control")[0])).toEqual([]);
    });

    it("a field of the wrong type", async () => {
      const errors = await validateManifest(parseYamlDocs(deployment(`  replicas: two\n${valid}`), "replicas")[0]);
      expect(errors.join("\n")).toMatch(/replicas/);
      const ports = valid.replace("image: nginx:1.27", "image: nginx:1.27\n          ports: [{ containerPort: http }]");
      expect((await validateManifest(parseYamlDocs(deployment(ports), "ports")[0])).join("\n")).toMatch(/containerPort/);
    });

    it("a missing required field", async () => {
      const noSelector = valid.replace(/ {2}selector:\n.*\n/, "");
      expect((await validateManifest(parseYamlDocs(deployment(noSelector), "selector")[0])).join("\n")).toMatch(/selector/);
    });

    it("an unknown kind or API group", async () => {
      const typo = deployment(valid).replace("kind: Deployment", "kind: Deploymnet");
      expect(await validateManifest(parseYamlDocs(typo, "kind")[0])).toEqual([expect.stringMatching(/unknown kind Deploymnet/)]);
      const group = deployment(valid).replace("apiVersion: apps/v1", "apiVersion: example.com/v1");
      expect(await validateManifest(parseYamlDocs(group, "group")[0])).toEqual([expect.stringMatching(/unknown kind/)]);
      expect(await validateManifest({ kind: "Deployment" })).toEqual([expect.stringMatching(/apiVersion/)]);
    });

    it("a patch that sets a wrong type or misses its path", async () => {
      const base = parseYamlDocs(deployment(valid), "base")[0] as K8sObject;
      const patched = applyJsonPatch(base, [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: 1.27 }]);
      expect((await validateManifest(patched)).join("\n")).toMatch(/image/);
      expect(() => applyJsonPatch(base, [{ op: "replace", path: "/spec/nothing/here", value: 1 }])).toThrow();
    });

    it("a YAML syntax error", () => {
      expect(() => parseYamlDocs("kind: Deployment\n  spec: [\n", "syntax")).toThrow(/syntax/);
    });
  });

  it.skipIf(!hasKubectl)("kubectl kustomize renders every kustomization into valid objects", async () => {
    const rendered = await Promise.all(kustomizationDirs.map((dir) => execFileAsync("kubectl", ["kustomize", dir], { encoding: "utf8" })));
    for (const [i, dir] of kustomizationDirs.entries()) {
      const out = rendered[i]!.stdout;
      const objects = parseYamlDocs(out, relative(ROOT, dir)) as K8sObject[];
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(await validateManifest(o), `${relative(ROOT, dir)}: ${o.kind}/${o.metadata?.name}`).toEqual([]);
    }
  });
});
