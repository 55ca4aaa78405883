/**
 * The router's complexity for each training prompt, from the shipped model file run by the
 * pure-TS forward pass (the same numbers the Worker's ORT session gives, to ~1e-6). This is the
 * prior the verifier receives on the request path (`Classification.complexity`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildRouter } from "../../../workers/gateway/src/router/router";
import { tsBackend } from "../../../workers/gateway/src/router/ts-backend";

const MODEL = fileURLToPath(new URL("../../../workers/gateway/src/router/model/router.onnx", import.meta.url));
const MANIFEST = fileURLToPath(new URL("../../../workers/gateway/src/router/model/manifest.json", import.meta.url));

export interface RouterPrior {
  modelVersion: string;
  complexity(prompt: string): Promise<number>;
}

export function shippedRouterPrior(): RouterPrior {
  const modelVersion = (JSON.parse(readFileSync(MANIFEST, "utf8")) as { version: string }).version;
  const router = buildRouter({ backend: tsBackend(readFileSync(MODEL)), modelVersion });
  return {
    modelVersion,
    complexity: async (prompt) => (await router.classifyRequest({ messages: [{ role: "user", content: prompt }] })).complexity,
  };
}
