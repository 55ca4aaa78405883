import { screenInjection } from "../workers/gateway/src/guardrails/injection/screen";
import { redactChatRequest } from "../workers/gateway/src/guardrails/redact/redact-request";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../workers/gateway/src/guardrails/settings";
const para = "Hi, I'm Maria Lopez from Acme Bank. Please summarise the attached incident notes for the audit committee and keep a neutral tone. The customer can be reached at maria.lopez@example.com or +1 415 555 0132; card 4539 1488 0343 6467 was used from 203.0.113.7. We reviewed the deployment logs, the change tickets and the on-call timeline, and found that the retry storm started after the cache was flushed. ";
const req = { model: "m", messages: [{ role: "system" as const, content: "You are a concise assistant." }, { role: "user" as const, content: para.repeat(8) }] };
for (let i = 0; i < 3000; i++) screenInjection(redactChatRequest(req, DEFAULT_GUARDRAIL_SETTINGS, "s").request);
