/**
 * The request body as middleware peeks at it before the route (token estimates for rate limits
 * and budgets, the feature for budgets): read and parsed once per request however many
 * middlewares ask. `value` is null when the body is not JSON; reporting that is the route's job,
 * and the route still validates strictly (read-json-body.ts).
 */
import type { Context } from "hono";

export interface PeekedBody {
  text: string;
  value: unknown;
}

const peeked = new WeakMap<Request, Promise<PeekedBody>>();

export function peekJsonBody(c: Context): Promise<PeekedBody> {
  let body = peeked.get(c.req.raw);
  if (!body) {
    body = c.req.text().then((text) => {
      try {
        return { text, value: JSON.parse(text) as unknown };
      } catch {
        return { text, value: null };
      }
    });
    peeked.set(c.req.raw, body);
  }
  return body;
}
