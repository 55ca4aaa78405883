/** POST /v1/feedback: report whether a semantic cache hit's answer was right (cache/feedback). */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { FeedbackRequestSchema, recordFeedback } from "../cache/feedback/record-feedback";
import { readJsonBody } from "../http/read-json-body";

export const feedbackRoutes = new Hono<AppEnv>().post("/v1/feedback", async (c) => {
  const body = await readJsonBody(c, FeedbackRequestSchema);
  const { tenantId, keyId, features } = c.get("auth");
  return c.json(await recordFeedback(c.env.DB, { tenantId, keyId, features }, body, Date.now()));
});
