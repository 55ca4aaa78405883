/**
 * Reads a request body once, with the size limit enforced while streaming (a missing or false
 * Content-Length cannot bypass it), and caches the exact bytes in Hono's body cache. Every
 * later reader (rate-limit token estimate, routes, admin handlers) then sees the same bytes;
 * the JSON reader can still reject invalid UTF-8 because nothing decoded them lossily first.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { bodyLimitBytes, readBodyBytes } from "../http/read-json-body";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const bodyLimit = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (WITH_BODY.has(c.req.method) && c.req.raw.body) {
      const bytes = await readBodyBytes(c.req.raw, bodyLimitBytes(c.env));
      // Hono stores promises in bodyCache at run time (request.js #cachedBody) though its type
      // says values; we put the bytes where its readers look.
      // The bytes usually own their whole buffer (one native read): hand it over without a copy.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const buffer = (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
      (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(buffer);
    }
    await next();
  });
