/**
 * /v1/prompts: prompt templates with immutable numbered versions and movable labels
 * (docs/prompts.md). Thin handlers over prompts/: the tenant and the feature scope come from
 * the key, never from the request. Who may call what is in auth/route-policies.ts (developer
 * and admin keys write; viewer keys read too).
 */
import { Hono, type Context } from "hono";
import { runInBackground } from "../auth/access-env";
import type { AppEnv } from "../app-env";
import { anchorAuditHead } from "../../../../shared/audit/anchor";
import { parseQuery } from "../http/query";
import { parseWith, readJsonBody } from "../http/read-json-body";
import { compareVersions, CompareQuerySchema } from "../prompts/compare-versions";
import { getPrompt, getVersion, listPrompts, listVersions } from "../prompts/prompt-reads";
import { createPrompt, createVersion, moveLabel, type WriteContext } from "../prompts/prompt-writes";
import { renderPrompt } from "../prompts/render-prompt";
import {
  CreatePromptSchema,
  CreateVersionSchema,
  LabelParamsSchema,
  ListPromptsQuerySchema,
  ListVersionsQuerySchema,
  MoveLabelSchema,
  PromptParamsSchema,
  RenderBodySchema,
  VersionParamsSchema,
} from "../prompts/schemas";
import { piiTemplateScreen } from "../prompts/template-screen";

type Ctx = Context<AppEnv>;

function writeContext(c: Ctx): WriteContext {
  const caller = c.get("auth");
  return { db: c.env.DB, caller, now: Date.now(), screen: piiTemplateScreen(c.env.DB, caller.tenantId) };
}

/** Every write added an audit row: move the KV anchor over it, off the response path. */
function anchorLater(c: Ctx): void {
  if (c.env.KEYS_KV) runInBackground(c, anchorAuditHead(c.env.DB, c.env.KEYS_KV));
}

export const promptsRoutes = new Hono<AppEnv>()
  .post("/v1/prompts", async (c) => {
    const prompt = await createPrompt(writeContext(c), await readJsonBody(c, CreatePromptSchema));
    anchorLater(c);
    return c.json(prompt, 201);
  })
  .get("/v1/prompts", async (c) => c.json(await listPrompts(c.env.DB, c.get("auth"), parseQuery(c.req.url, ListPromptsQuerySchema))))
  .get("/v1/prompts/:id", async (c) => c.json(await getPrompt(c.env.DB, c.get("auth"), parseWith(PromptParamsSchema, c.req.param()).id)))
  .post("/v1/prompts/:id/versions", async (c) => {
    const { id } = parseWith(PromptParamsSchema, c.req.param());
    const ctx = writeContext(c);
    const { version } = await createVersion(ctx, id, await readJsonBody(c, CreateVersionSchema));
    anchorLater(c);
    return c.json(await getVersion(c.env.DB, ctx.caller, id, version), 201);
  })
  .get("/v1/prompts/:id/versions", async (c) => {
    const { id } = parseWith(PromptParamsSchema, c.req.param());
    return c.json(await listVersions(c.env.DB, c.get("auth"), id, parseQuery(c.req.url, ListVersionsQuerySchema)));
  })
  .get("/v1/prompts/:id/versions/:version", async (c) => {
    const { id, version } = parseWith(VersionParamsSchema, c.req.param());
    return c.json(await getVersion(c.env.DB, c.get("auth"), id, version));
  })
  .post("/v1/prompts/:id/labels/:label", async (c) => {
    const { id, label } = parseWith(LabelParamsSchema, c.req.param());
    const { version } = await readJsonBody(c, MoveLabelSchema);
    const moved = await moveLabel(writeContext(c), id, label, version);
    anchorLater(c);
    return c.json({ promptId: id, ...moved });
  })
  .post("/v1/prompts/:id/render", async (c) => {
    const { id } = parseWith(PromptParamsSchema, c.req.param());
    const body = await readJsonBody(c, RenderBodySchema);
    const rendered = await renderPrompt(c.env.DB, c.get("auth"), { id, ...body }, "");
    return c.json({ promptId: rendered.id, version: rendered.version, label: rendered.label, messages: rendered.messages });
  })
  .get("/v1/prompts/:id/compare", async (c) => {
    const { id } = parseWith(PromptParamsSchema, c.req.param());
    return c.json(await compareVersions(c.env.DB, c.get("auth"), id, parseQuery(c.req.url, CompareQuerySchema)));
  });
