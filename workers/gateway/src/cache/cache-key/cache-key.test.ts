import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../settings";
import { chat, scope } from "../testing/fixtures";
import { canonicalJson } from "../../../../../shared/canonical-json";
import { computeCacheKeys, temperatureBucket } from "./cache-key";

const policy = DEFAULT_POLICY;
const keys = (req = chat("hi there"), s = scope(), model = "tier:small", gen = "0.0") => computeCacheKeys(req, model, s, policy, gen);

describe("computeCacheKeys", () => {
  it("puts the tenant in clear at the front of every key and namespace", async () => {
    const k = await keys(chat("q"), scope("t:weird/id"));
    expect(k.exactKey.startsWith("cache:v2:t%3Aweird%2Fid:")).toBe(true);
    expect(k.namespace.startsWith("t%3Aweird%2Fid/")).toBe(true);
  });

  it("reads none of the v1 keys, whose entries hold tokens keyed by the public tenant id (review s12-sec finding 2)", async () => {
    const k = await keys(chat("Is <US_SSN:0a1b2c3d4e5f> on file?"), scope("ten_keys"));
    // What the v1 keys were for this request (computed with KEY_VERSION "v1").
    const v1 = { exactHash: "7aa289b4809bdcd66e5ec2ebe7ca4185083c1d567e834067784c541fd8cc6e8f", fingerprint: "926711978e4cecf4f00f3b13756cedf1129fc27c6136cf64409320d47dd8954c" };
    expect(k.exactKey.startsWith("cache:v2:ten_keys:")).toBe(true);
    expect(k.exactKey).not.toContain(v1.exactHash);
    expect(k.fingerprint).not.toBe(v1.fingerprint);
    expect(k.namespace).not.toContain(v1.fingerprint.slice(0, 32));
  });

  it("changes the exact key with anything that changes the answer", async () => {
    const base = (await keys()).exactKey;
    const variants = [
      chat("hi there", { temperature: 0.2 }),
      chat("hi there", { top_p: 0.5 }),
      chat("hi there", { max_tokens: 10 }),
      chat("hi there", { stop: ["\n"] }),
      chat("hi there", { seed: 7 }),
      chat("hi there", { n: 2 }),
      chat("hi there", { tool_choice: "none" }),
      chat("hi there", { response_format: { type: "json_object" } }),
      chat("hi there", { tools: [{ type: "function", function: { name: "f" } }] }),
      chat("hi there?"),
    ];
    for (const v of variants) expect((await keys(v)).exactKey).not.toBe(base);
    expect((await keys(chat("hi there"), scope(), "tier:large")).exactKey).not.toBe(base);
    expect((await keys(chat("hi there"), scope("t-other"))).exactKey).not.toBe(base);
    expect((await keys(chat("hi there"), scope(), "tier:small", "1.0")).exactKey).not.toBe(base);
  });

  it("ignores transport fields and equivalent spellings", async () => {
    const base = (await keys(chat("hi there", { max_tokens: 10 }))).exactKey;
    expect((await keys(chat("hi there", { max_tokens: 10, stream: true, user: "u", metadata: { a: "b" } }))).exactKey).toBe(base);
    expect((await keys(chat("hi there", { max_completion_tokens: 10 }))).exactKey).toBe(base);
    expect((await keys(chat("  hi there \n", { max_tokens: 10 }))).exactKey).toBe(base);
  });

  it("fingerprint ignores the last user turn and buckets temperature", async () => {
    const a = await keys(chat("How do I reset my password?"));
    const b = await keys(chat("How can I reset my password?"));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.namespace).toBe(b.namespace);
    expect((await keys(chat("x", { temperature: 0.3 }))).fingerprint).toBe((await keys(chat("x", { temperature: 0.5 }))).fingerprint);
    expect((await keys(chat("x", { temperature: 0.3 }))).fingerprint).not.toBe((await keys(chat("x", { temperature: 0.9 }))).fingerprint);
    expect(temperatureBucket(undefined)).toBe("t2");
  });

  it("fingerprint keeps the last turn's images and other non-text parts: only its text may vary", async () => {
    const withImage = (url: string) =>
      ({ model: "auto", messages: [{ role: "user", content: [{ type: "text", text: "What is in this picture?" }, { type: "image_url", image_url: { url } }] }] }) as Parameters<typeof keys>[0];
    const xray = await keys(withImage("https://img.example/alice-xray.png"));
    const cat = await keys(withImage("https://img.example/bob-cat.png"));
    expect(xray.fingerprint).not.toBe(cat.fingerprint);
    expect(xray.namespace).not.toBe(cat.namespace);
    expect((await keys(withImage("https://img.example/alice-xray.png"))).fingerprint).toBe(xray.fingerprint);
    expect(xray.fingerprint).not.toBe((await keys(chat("What is in this picture?"))).fingerprint);
  });

  it("scopes by feature by default and by key only when asked", async () => {
    const a = await keys(chat("q"), scope("t", { feature: "a" }));
    const b = await keys(chat("q"), scope("t", { feature: "b" }));
    expect(a.namespace).not.toBe(b.namespace);
    const k1 = await keys(chat("q"), scope("t", { keyId: "k1" }));
    const k2 = await keys(chat("q"), scope("t", { keyId: "k2" }));
    expect(k1.exactKey).toBe(k2.exactKey);
    const byKey = { ...policy, scopeBy: { ...policy.scopeBy, key: true } };
    expect((await computeCacheKeys(chat("q"), "m", scope("t", { keyId: "k1" }), byKey, "0")).exactKey).not.toBe(
      (await computeCacheKeys(chat("q"), "m", scope("t", { keyId: "k2" }), byKey, "0")).exactKey,
    );
  });

  it("canonical JSON sorts keys and drops nulls", () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: [2, 1] } }, { dropNull: true })).toBe('{"a":{"c":[2,1]},"b":1}');
  });
});
