import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptText, generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { getRequestTrace } from "./request-trace";
import { ingest } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
let keyring: Keyring;

beforeAll(async () => {
  d1 = await startD1();
  keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  await ingest(d1.db, [usageEvent({ requestId: "tr-1", tenantId: "acme", decisions: { route: { tier: "frontier", complexity: 0.7 }, injection: { verdict: "allow" } } })], {
    seal: (text) => encryptText(text, keyring),
  });
});
afterAll(() => d1.dispose());

describe("getRequestTrace", () => {
  it("tells the request's story without content at access level none", async () => {
    const t = await getRequestTrace(d1.db, "acme", "tr-1", { contentAccess: "none", features: null });
    expect(t).toMatchObject({
      requestId: "tr-1",
      status: 200,
      tier: "frontier",
      tokens: { prompt: 1000, completion: 500, cached: 200, reasoning: 0 },
      cost: { usd: 0.00725, priceSource: "table" },
      decisions: { injection: { verdict: "allow" }, route: { complexity: 0.7 } },
      cache: { status: "miss" },
    });
    expect(t?.stages).toHaveLength(2);
    expect(t?.attempts).toHaveLength(1);
    expect(t && "content" in t).toBe(false);
  });

  it("shows only the content's shape at redacted and the exchange at decrypted", async () => {
    const redacted = await getRequestTrace(d1.db, "acme", "tr-1", { contentAccess: "redacted", features: null });
    expect(JSON.stringify(redacted)).not.toContain("refund window");
    expect(redacted).toMatchObject({ content: { access: "redacted", meta: { placeholders: ["<PERSON_1>"], responseChars: 29 } } });
    const full = await getRequestTrace(d1.db, "acme", "tr-1", { contentAccess: "decrypted", features: null, keyring });
    expect(full).toMatchObject({ content: { access: "decrypted", available: true, response: "The refund window is 30 days." } });
  });

  it("is unknown to a key limited to other features, even with content:read", async () => {
    // usageEvent's feature is "support".
    expect(await getRequestTrace(d1.db, "acme", "tr-1", { contentAccess: "decrypted", features: ["billing"], keyring })).toBeNull();
    expect(await getRequestTrace(d1.db, "acme", "tr-1", { contentAccess: "none", features: ["billing", "support"] })).toMatchObject({ requestId: "tr-1", feature: "support" });
  });

  it("nets the request's cascade draft and shadow from its saving and shows each apart from judging", async () => {
    const small = { model: "small-sim", tier: "small", usage: { input: { total: 400, cached: 0 }, output: { total: 300, reasoning: 0 }, source: "upstream" as const } };
    await ingest(d1.db, [
      usageEvent({ requestId: "tr-net", tenantId: "acme", counterfactualCostUsd: 0.02 }),
      usageEvent({ requestId: "tr-net:draft", tenantId: "acme", ...small, decisions: { cascadeDraftOf: "tr-net" } }),
      usageEvent({ requestId: "tr-net:shadow", tenantId: "acme", ...small, decisions: { shadowOf: "tr-net" } }),
    ]);
    await d1.db
      .prepare("INSERT INTO usage_ledger (request_id, tenant_id, kind, parent_request_id, key_id, status, cache_status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, price_source, latency_ms, received_at, completed_at, hour, ingested_at, ingest_nonce) VALUES ('tr-net:judge', 'acme', 'judge', 'tr-net', 'k1', 200, 'off', 1, 1, 0, 0, 0.0005, 'event', 1, 0, 0, 0, 0, 'n')")
      .run();
    const rows = await d1.db.prepare("SELECT request_id, cost_usd, cost_avoided_usd FROM usage_ledger WHERE request_id LIKE 'tr-net%' ORDER BY request_id").all<{ request_id: string; cost_usd: number; cost_avoided_usd: number }>();
    const [served, draft, judge, shadow] = rows.results;
    const t = await getRequestTrace(d1.db, "acme", "tr-net", { contentAccess: "none", features: null });
    expect(draft!.cost_usd).toBeGreaterThan(0);
    expect(t?.cost).toEqual({
      usd: served!.cost_usd, priceSource: "table", counterfactualUsd: expect.any(Number),
      avoidedUsd: expect.closeTo(served!.cost_avoided_usd - draft!.cost_usd - shadow!.cost_usd, 10),
      judgeUsd: judge!.cost_usd, draftUsd: draft!.cost_usd, shadowUsd: shadow!.cost_usd,
    });
  });

  it("is tenant-isolated", async () => {
    expect(await getRequestTrace(d1.db, "intruder", "tr-1", { contentAccess: "decrypted", features: null, keyring })).toBeNull();
  });
});
