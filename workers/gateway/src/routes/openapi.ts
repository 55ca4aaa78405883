/**
 * GET /openapi.json, public: the document describes the API's shapes only (no tenant data,
 * nothing the README does not already say), and SDK generators and API explorers fetch it
 * without credentials, as they do OpenAI's own. Mounted before authentication.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { openApiJson } from "../openapi/document";

export const openApiRoutes = new Hono<AppEnv>().get("/openapi.json", (c) => c.body(openApiJson(), 200, { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" }));
