/** GET /v1/models: what this key may call, in OpenAI's list shape, plus the routable names; `capabilities` says which chat and which embed. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { defaultEmbeddingModel } from "../config/embedding-model";
import { registryFor } from "../config/registry-loader";
import { mayUse } from "../chat/resolve-target";

export const modelsRoutes = new Hono<AppEnv>().get("/v1/models", (c) => {
  const registry = registryFor(c.env);
  const auth = c.get("auth");
  const created = 1_700_000_000;
  const models = registry.models
    .filter((m) => mayUse(auth, m))
    .map((m) => ({
      id: m.id, object: "model" as const, created, owned_by: "gateway", tier: m.tier, context_window: m.contextWindow,
      capabilities: { chat: true, embeddings: m.capabilities.embeddings, tools: m.capabilities.tools },
    }));
  // "auto" chats through the router and embeds with the default embeddings model; tiers only chat.
  const routable = [
    { id: "auto", object: "model" as const, created, owned_by: "gateway", tier: null, context_window: null, capabilities: { chat: true, embeddings: defaultEmbeddingModel(registry, auth) !== undefined, tools: true } },
    ...registry.tiers
      .filter((t) => auth.tiers === null || auth.tiers.includes(t.id))
      .map((t) => ({ id: t.id, object: "model" as const, created, owned_by: "gateway", tier: t.id, context_window: null, capabilities: { chat: true, embeddings: false, tools: true } })),
  ];
  return c.json({ object: "list", data: [...routable, ...models] });
});
