/** Property: whatever query a caller sends to GET /v1/requests and /v1/evaluations, never a 5xx, and pages never repeat a row. */
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { promptsFixture } from "../prompts/testing";
import { ingest } from "../usage/test-fixtures";
import { requestListRoutes } from "./request-lists";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

const NOW = Date.now();
let f: Awaited<ReturnType<typeof promptsFixture>>;
beforeAll(async () => {
  f = await promptsFixture([requestListRoutes]);
  // Several requests in the same millisecond: the cursor must still split them exactly.
  const events: UsageEvent[] = Array.from({ length: 9 }, (_, i) =>
    usageEvent({ requestId: `q${i}`, tenantId: "ten_acme", feature: i % 3 === 0 ? "billing" : "support", completedAt: NOW - 1000 * Math.floor(i / 3), receivedAt: NOW - 5000, status: i === 4 ? 503 : 200 }),
  );
  await ingest(f.db, events);
});

const value = fc.oneof(fc.string({ maxLength: 16 }), fc.integer({ min: -10, max: 1e13 }).map(String), fc.constantFrom("ok", "error", "503", "hit-exact", "support", "billing", "2026-01-01T00:00:00Z", "", "bm90"));
const query = fc.dictionary(fc.constantFrom("limit", "cursor", "from", "to", "feature", "status", "model", "tier", "cache", "promptId", "maxScore", "x"), value, { maxKeys: 4 });

describe("GET /v1/requests and /v1/evaluations property", () => {
  it("never answers 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/v1/requests", "/v1/evaluations"), query, fc.constantFrom("viewer", "supportViewer", "developer") as fc.Arbitrary<keyof typeof f.keys>, async (path, q, who) => {
        const res = await f.call("GET", `${path}?${new URLSearchParams(q).toString()}`, f.keys[who]);
        expect(res.status, JSON.stringify([path, q, res.json]).slice(0, 300)).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error?.code).toEqual(expect.any(String));
      }),
      { numRuns: 250 },
    );
  });

  it("pages through every visible row exactly once, at any page size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.constantFrom("viewer", "supportViewer") as fc.Arbitrary<keyof typeof f.keys>, async (limit, who) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await f.call("GET", `/v1/requests?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, f.keys[who]);
          expect(res.status).toBe(200);
          seen.push(...(res.json["data"] as { requestId: string }[]).map((r) => r.requestId));
          cursor = res.json["next_cursor"] as string | null;
        } while (cursor);
        const want = who === "viewer" ? 9 : 6;
        expect(new Set(seen).size).toBe(want);
        expect(seen).toHaveLength(want);
      }),
      { numRuns: 12 },
    );
  });
});
