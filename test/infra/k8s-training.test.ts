/**
 * The LoRA training job (gpu-backends/k8s/training/) against what it consumes: the gateway's
 * fine-tuning export (the fetch step's request and its refusal to train on too little, run
 * with sh + curl against a loopback server) and the export's line shape (the trainer config's
 * field mapping), plus the manifests' structure. `kubectl kustomize` runs when kubectl exists;
 * the schema validation of these manifests is in k8s-manifests.test.ts.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { FineTuningExampleSchema } from "../../shared/schemas/fine-tuning-example";
import { fineTuningExample } from "../../workers/gateway/src/usage/fine-tuning-export";

const DIR = resolve(import.meta.dirname, "../../gpu-backends/k8s/training");
const has = (cmd: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

interface Container {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  resources?: { limits: Record<string, string> };
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
}
interface JobDoc {
  kind: string;
  spec: { backoffLimit: number; template: { spec: { restartPolicy: string; initContainers: Container[]; containers: Container[]; tolerations: { key: string }[] } } };
}
type AxolotlConfig = {
  base_model: string;
  adapter: string;
  datasets: { path: string; type: string; field_messages: string; message_property_mappings: Record<string, string>; message_field_training: string; roles_to_train: string[] }[];
};

describe("gpu-backends/k8s/training (LoRA job)", () => {
  const parse = <T>(file: string): T => parseYaml(readFileSync(join(DIR, file), "utf8")) as T;

  it("fetches, then trains on one GPU, then publishes, in that order", () => {
    const job = parse<JobDoc>("job.yaml");
    const pod = job.spec.template.spec;
    expect(job.kind).toBe("Job");
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.initContainers.map((c) => c.name)).toEqual(["fetch-dataset", "train"]);
    expect(pod.containers.map((c) => c.name)).toEqual(["publish"]);
    const train = pod.initContainers[1]!;
    expect(train.image).toMatch(/^axolotlai\/axolotl:/);
    expect(train.command).toEqual(["axolotl", "train", "/config/lora-sft.yaml"]);
    expect(train.resources?.limits["nvidia.com/gpu"]).toBe("1");
    expect(pod.tolerations.map((t) => t.key)).toContain("nvidia.com/gpu");
    expect(pod.initContainers[0]!.env?.find((e) => e.name === "GATEWAY_EXPORT_KEY")?.valueFrom?.secretKeyRef?.name).toBe("gateway-export-key");
  });

  it("trains the model the small tier serves, reading the export's own line shape", () => {
    const cfg = parse<AxolotlConfig>("files/axolotl-lora-sft.yaml");
    const served = parseYaml(readFileSync(join(DIR, "../base/deployment.yaml"), "utf8")) as { spec: { template: { spec: { containers: Container[] } } } };
    expect(cfg.base_model).toBe(served.spec.template.spec.containers[0]!.args?.[0]);
    expect(cfg.adapter).toMatch(/^q?lora$/);
    const [ds] = cfg.datasets;
    expect(ds).toMatchObject({ path: "/work/data/train.jsonl", type: "chat_template", roles_to_train: [] });
    // A line as the export writes it carries exactly the fields the config maps.
    const row = { source: "pair" as const, cursor_id: "r:draft", student_id: "r:draft", completed_at: 1, student_score: 2, student_model: "s", teacher_id: "r", teacher_score: 5, teacher_model: "f", content_envelope: "" };
    const line = fineTuningExample(row, JSON.stringify({ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi <PERSON_1>" }, { role: "assistant", content: "Hello" }, { role: "user", content: "Order 7?" }], response: "It ships today." }), false);
    const json = JSON.parse(JSON.stringify(FineTuningExampleSchema.parse(line))) as Record<string, Array<Record<string, unknown>>>;
    const messages = json[ds!.field_messages]!;
    for (const m of messages) for (const field of Object.values(ds!.message_property_mappings)) expect(typeof m[field]).toBe("string");
    // Only the last answer is trained on (weight is the config's message_field_training).
    expect(messages.map((m) => m[ds!.message_field_training] ?? null)).toEqual([null, null, 0, null, 1]);
  });

  it.skipIf(!has("kubectl"))("builds with kubectl kustomize", () => {
    const out = execFileSync("kubectl", ["kustomize", DIR], { encoding: "utf8" });
    const kinds = parseAllDocuments(out).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds.sort()).toEqual(["ConfigMap", "ConfigMap", "Job", "ServiceAccount"]);
  });
});

/** A loopback stand-in for the gateway's export; records what the fetch step asked for. */
async function exportServer(lines: number) {
  const seen: { url: string; auth: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization });
    const body = Array.from({ length: lines }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `q${i}` }, { role: "assistant", content: `a${i}`, weight: 1 }] })).join("\n");
    res.writeHead(200, { "content-type": "application/x-ndjson" }).end(lines ? `${body}\n` : "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function runFetch(gateway: string, dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? "", GATEWAY_URL: `${gateway}/`, GATEWAY_EXPORT_KEY: "gw_test_key", LOOKBACK_DAYS: "7", SCORE_THRESHOLD: "3.5", MIN_EXAMPLES: "3", DATA_DIR: dataDir };
  return new Promise((done) => {
    // ProcessEnv is widened by the Workers' generated types; this is a plain child environment.
    const p = spawn("sh", [join(DIR, "files/fetch-dataset.sh")], { env: env as unknown as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += String(d)));
    p.stderr.on("data", (d) => (stderr += String(d)));
    p.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!has("curl"))("the fetch step (fetch-dataset.sh)", () => {
  it("downloads the export with the key and a since LOOKBACK_DAYS ago", async () => {
    const server = await exportServer(4);
    const dir = mkdtempSync(join(tmpdir(), "lora-fetch-"));
    const started = Date.now();
    const r = await runFetch(server.url, dir);
    await server.close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("4 examples");
    expect(readFileSync(join(dir, "train.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    const [call] = server.seen;
    expect(call?.auth).toBe("Bearer gw_test_key");
    const url = new URL(call?.url ?? "", server.url);
    expect(url.pathname).toBe("/admin/v1/datasets/fine-tuning");
    expect(url.searchParams.get("threshold")).toBe("3.5");
    const since = Number(url.searchParams.get("since"));
    expect(Math.abs(started - 7 * 86_400_000 - since)).toBeLessThan(5_000);
  });

  it("refuses to train on fewer than MIN_EXAMPLES, saying why", async () => {
    const server = await exportServer(2);
    const dir = mkdtempSync(join(tmpdir(), "lora-fetch-"));
    const r = await runFetch(server.url, dir);
    await server.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("fewer than MIN_EXAMPLES=3");
    expect(existsSync(join(dir, "train.jsonl"))).toBe(true);
  });
});
