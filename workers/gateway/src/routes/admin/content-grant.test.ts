/**
 * PUT /admin/v1/tenants/{id}/settings: letting more content through redaction needs content:read
 * or the operator scope (auth/redaction-grants.ts); tightening stays open to every admin.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedTenant } from "../../auth/seed-tenant";
import { PII_ACTION_STRENGTH } from "../../auth/redaction-grants";
import { PII_ACTIONS } from "../../guardrails/settings";
import { PII_ENTITY_TYPES } from "../../guardrails/types";
import { loadLayers, resolveLayers } from "../../settings/settings-store";
import { DEFAULT_TENANT_SETTINGS } from "../../settings/tenant-settings";
import { adminFixture } from "./testing";

type Fixture = Awaited<ReturnType<typeof adminFixture>>;

async function setup() {
  const f = await adminFixture();
  const reader = await seedTenant(f.db, { name: "acme", role: "admin", scopes: ["content:read"] });
  const plain = await seedTenant(f.db, { name: "acme", tenantId: reader.tenantId, role: "admin" });
  const put = (key: string, body: unknown, feature?: string) => f.call("PUT", `/admin/v1/tenants/${reader.tenantId}/settings${feature ? `?feature=${feature}` : ""}`, key, body);
  return { f, tenantId: reader.tenantId, reader: reader.key, plain: plain.key, put };
}

const rows = (f: Fixture) => f.db.prepare("SELECT feature, settings_json FROM tenant_settings ORDER BY feature").all().then((r) => JSON.stringify(r.results));
const audits = (f: Fixture) => f.db.prepare("SELECT COUNT(*) AS n FROM audit_log").first<{ n: number }>().then((r) => r?.n);

describe("PUT …/settings: weakening redaction is a content grant", () => {
  it("an admin without content:read may tighten, but not turn redaction off, loosen an entity, drop a stricter section or opt content into spans", async () => {
    const { f, plain, put } = await setup();
    expect((await put(plain, { guardrails: { pii: { entities: { PERSON: "block" } } } })).status).toBe(200);
    const before = [await rows(f), await audits(f)];
    const refusals: Array<[unknown, string | undefined, string]> = [
      [{ guardrails: { pii: { enabled: false } } }, undefined, "guardrails.pii.enabled"],
      [{ guardrails: { pii: { entities: { PERSON: "block", US_SSN: "mask" } } } }, undefined, "guardrails.pii.entities.US_SSN"],
      // A PUT replaces the layer: a cache-only body would drop PERSON: block.
      [{ cache: { ttlSeconds: 600 } }, undefined, "guardrails.pii.entities.PERSON"],
      [{ guardrails: { pii: { entities: { PERSON: "block" }, scanOutput: false } } }, undefined, "guardrails.pii.scanOutput"],
      [{ telemetry: { captureContent: true } }, "support", "telemetry.captureContent"],
      [{ guardrails: { pii: { minScore: 0.95 } } }, "support", "guardrails.pii.minScore"],
    ];
    for (const [body, feature, param] of refusals) {
      const res = await put(plain, body, feature);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.json.error).toMatchObject({ code: "forbidden", param });
    }
    expect([await rows(f), await audits(f)], "a refused change writes nothing").toEqual(before);
    expect((await put(plain, { guardrails: { pii: { entities: { PERSON: "block" } } }, cache: { ttlSeconds: 600 } })).status).toBe(200);
    expect((await put(plain, { guardrails: { pii: { entities: { US_SSN: "block" } } } }, "support")).status).toBe(200);
  });

  it("content:read and operators may loosen", async () => {
    const { f, tenantId, reader, plain, put } = await setup();
    expect((await put(reader, { guardrails: { pii: { scanOutput: false } } }, "support")).status).toBe(200);
    expect((await put(f.op.key, { guardrails: { pii: { enabled: false } }, telemetry: { captureContent: true } })).status).toBe(200);
    // Re-enabling is tightening, whatever entity policy comes with it.
    expect((await put(plain, { guardrails: { pii: { entities: { PERSON: "mask" } } } })).status).toBe(200);
    expect(resolveLayers(await loadLayers(f.db, tenantId, null)).guardrails.pii.enabled).toBe(true);
  });

  it("property: however a scope-less admin writes settings, no feature's redaction ends weaker than it began, and nothing is a 5xx", async () => {
    const action = fc.constantFrom(...PII_ACTIONS);
    const body = fc.record(
      {
        guardrails: fc.record({
          pii: fc.record(
            {
              enabled: fc.boolean(),
              entities: fc.dictionary(fc.constantFrom(...PII_ENTITY_TYPES), action, { maxKeys: 3 }),
              minScore: fc.double({ min: 0, max: 1, noNaN: true }),
              language: fc.constantFrom("en", "de", "fr"),
              scanOutput: fc.boolean(),
            },
            { requiredKeys: [] },
          ),
        }),
        telemetry: fc.record({ captureContent: fc.boolean() }),
        cache: fc.record({ ttlSeconds: fc.integer({ min: 60, max: 3600 }) }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(body, fc.constantFrom(undefined, "support")), { minLength: 1, maxLength: 4 }), async (writes) => {
        const { f, tenantId, plain, put } = await setup();
        for (const [b, feature] of writes) expect([200, 403]).toContain((await put(plain, b, feature)).status);
        const start = DEFAULT_TENANT_SETTINGS;
        for (const feature of [null, "support"]) {
          const end = resolveLayers(await loadLayers(f.db, tenantId, feature));
          const [s, e] = [start.guardrails.pii, end.guardrails.pii];
          expect(e.enabled).toBe(true);
          for (const t of PII_ENTITY_TYPES) expect(PII_ACTION_STRENGTH[e.entities[t]]).toBeGreaterThanOrEqual(PII_ACTION_STRENGTH[s.entities[t]]);
          expect(e.minScore).toBeLessThanOrEqual(s.minScore);
          expect([e.language, e.scanOutput, end.telemetry.captureContent]).toEqual([s.language, true, false]);
        }
      }),
      { numRuns: 40 },
    );
  });
});
