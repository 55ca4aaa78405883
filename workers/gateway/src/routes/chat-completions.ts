import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { handleChat } from "../chat/handle-chat";

export const chatCompletionsRoutes = new Hono<AppEnv>().post("/v1/chat/completions", (c) => handleChat(c));
