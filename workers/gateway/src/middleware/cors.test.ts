import { describe, expect, it } from "vitest";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { auth } from "./auth";
import { cors, parseOrigins } from "./cors";

function setup(origins?: string) {
  const t = createTestEnv(origins === undefined ? {} : { CORS_ALLOWED_ORIGINS: origins });
  const app = createTestApp();
  app.use("*", cors(), auth());
  app.get("/v1/models", (c) => c.text("ok"));
  return (method: string, origin?: string) => app.request("/v1/models", { method, headers: origin ? { origin } : {} }, t.env);
}

describe("cors()", () => {
  it("sends no CORS headers by default", async () => {
    const call = setup();
    const pre = await call("OPTIONS", "https://evil.example");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call("GET", "https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers preflights and error responses for allow-listed origins only, exactly", async () => {
    const call = setup("https://app.example.com, http://localhost:5173");
    const pre = await call("OPTIONS", "https://app.example.com");
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
    const unauth = await call("GET", "http://localhost:5173");
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect((await call("GET", "https://app.example.com.evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    expect((await call("OPTIONS", "null")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("ignores wildcards and malformed entries in the allow-list", () => {
    expect([...parseOrigins("*, https://ok.example, ftp://x, https://a.example/path")]).toEqual(["https://ok.example"]);
  });
});
