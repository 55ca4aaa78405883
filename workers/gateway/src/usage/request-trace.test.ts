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

  it("is tenant-isolated", async () => {
    expect(await getRequestTrace(d1.db, "intruder", "tr-1", { contentAccess: "decrypted", features: null, keyring })).toBeNull();
  });
});
