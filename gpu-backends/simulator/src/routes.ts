/** Route table: OpenAI-compatible endpoints, vLLM's /health and /metrics, and the /_sim controls. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { handleChat } from "./chat-handler";
import { handleEmbeddings } from "./embeddings-handler";
import { HttpError, errorType, readJsonBody, sendError, sendJson, sendText } from "./http-util";
import { renderMetrics } from "./metrics";
import type { SimState } from "./sim-state";
import { FaultPatchSchema, applyFaultPatch, resetState } from "./sim-state";

function listModels(state: SimState): unknown {
  const data = [...state.models.values()].map((m) => ({
    id: m.id,
    object: "model",
    created: state.createdAt,
    owned_by: "vllm",
    root: m.id,
    parent: null,
    max_model_len: m.config.maxModelLen,
  }));
  return { object: "list", data };
}

function allFaults(state: SimState): Record<string, unknown> {
  return Object.fromEntries([...state.models.values()].map((m) => [m.id, m.faults]));
}

async function postFaults(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = FaultPatchSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  const faults = applyFaultPatch(state, parsed.data);
  if (!faults) throw new HttpError(404, `The model \`${parsed.data.model}\` does not exist.`, "NotFoundError");
  sendJson(res, 200, { model: parsed.data.model, faults });
}

async function postWithLog(state: SimState, req: IncomingMessage, path: string): Promise<unknown> {
  const body = await readJsonBody(req);
  state.log.add("POST", path, req.headers, body);
  return body;
}

async function route(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const key = `${req.method} ${path}`;
  switch (key) {
    case "POST /v1/chat/completions":
      return handleChat(state, req, res, await postWithLog(state, req, path));
    case "POST /v1/embeddings":
      return handleEmbeddings(state, req, res, await postWithLog(state, req, path));
    case "GET /v1/models":
      return sendJson(res, 200, listModels(state));
    case "GET /health":
      return sendText(res, 200, "");
    case "GET /metrics":
      return sendText(res, 200, renderMetrics([...state.models.values()]), "text/plain; version=0.0.4; charset=utf-8");
    case "GET /_sim/requests":
      return sendJson(res, 200, { requests: state.log.list() });
    case "DELETE /_sim/requests":
      state.log.clear();
      return sendJson(res, 200, { ok: true });
    case "GET /_sim/faults":
      return sendJson(res, 200, allFaults(state));
    case "POST /_sim/faults":
      return postFaults(state, req, res);
    case "POST /_sim/reset":
      resetState(state);
      return sendJson(res, 200, { ok: true });
    default:
      throw new HttpError(404, `no route for ${key}`, "NotFoundError");
  }
}

export function makeHandler(state: SimState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(state, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendError(res, err.status, err.message, err.type === "BadRequestError" ? errorType(err.status) : err.type);
      else sendError(res, 500, "internal simulator error", "InternalServerError");
    });
  };
}
