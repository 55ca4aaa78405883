/** The false-hit bound on the lookup path: cold start, certified thresholds, feedback, overrides. */
import { beforeEach, describe, expect, it } from "vitest";
import { createResponseCache, type ResponseCache } from "../response-cache";
import { CacheSettingsSchema } from "../settings";
import { MemoryCalibration } from "../testing/memory-calibration";
import { MemoryKv } from "../testing/memory-kv";
import { MemoryVectorStore } from "../testing/memory-vector-store";
import { testEmbedder } from "../testing/test-embedder";
import { NO_DIRECTIVES, answer, chat, input, scope } from "../testing/fixtures";
import { checksToCertify } from "./error-bound";
import { scorerId, SHIPPED_COLD_THRESHOLD as COLD } from "./scorer";

// "swim" vs "skate": guards pass, hit score ~0.75 (under the shipped scorer's cold threshold).
const CACHED = "My kid is learning to swim.";
const ASKED = "My kid is learning to skate.";
const key = { tenantId: "t-acme", feature: "support", scorerId: scorerId(testEmbedder().id, 0.45) };

describe("lookup under a maximum false-hit rate", () => {
  let calibration: MemoryCalibration;
  let kv: MemoryKv;
  let vectors: MemoryVectorStore;
  const make = (defaults: Record<string, unknown> = {}): ResponseCache =>
    createResponseCache({ kv: kv.asKv(), vectors, embedder: testEmbedder(), calibration, settings: CacheSettingsSchema.parse({ defaults }) });

  beforeEach(async () => {
    calibration = new MemoryCalibration();
    kv = new MemoryKv();
    vectors = new MemoryVectorStore();
    await make().store({ ...input(chat(CACHED)), response: answer("Start in shallow water."), costUsd: 0.001 });
  });

  it("starts cold at the strict threshold measured for the shipped embedder, and says so", async () => {
    const r = await make({ shadowRate: 1 }).lookup(input(chat(ASKED)));
    expect(r).toMatchObject({ status: "miss", reason: "cold-start", semantic: { phase: "cold", threshold: COLD, delta: 0.01, checks: 0 } });
    expect(r.similarity).toBeUndefined();
    expect(r.nearMiss).toMatchObject({ reason: "cold-start", upperBound: 1 });
    expect(r.nearMiss?.score).toBeLessThan(COLD);
    // Sampled for a shadow check: the entry whose answer the evaluator judges against this question.
    expect(r.shadow?.entry.question).toBe(CACHED);
    // The same question asked again word for word is still an exact hit.
    expect((await make().lookup(input(chat(CACHED)))).status).toBe("hit-exact");
  });

  it("serves exact hits only while cold for an embedder nobody measured", async () => {
    const r = await make({ coldThreshold: "exact" }).lookup(input(chat("How do I get my kid to learn to swim?")));
    expect(r.semantic).toMatchObject({ phase: "cold", threshold: null });
    expect(r.status).toBe("miss");
  });

  it("serves a lower band once feedback certifies it, and refuses it again when feedback says it is wrong", async () => {
    const n = checksToCertify(0.01);
    for (const score of [0.7, 0.72, 0.74, 0.8, 0.82]) calibration.record(key, score, n);
    const warm = await make().lookup(input(chat(ASKED)));
    expect(warm).toMatchObject({ status: "hit-semantic", semantic: { phase: "warm", threshold: 0.7 } });
    expect(warm.semantic?.band).toBeGreaterThanOrEqual(10);
    // Wrong answers reported in the band this pair falls in: the bound now starts above it
    // (an embedder without a measured cold threshold, so the bound alone decides).
    calibration.record(key, warm.similarity as number, 60, 20);
    const refused = await make({ coldThreshold: "exact" }).lookup(input(chat(ASKED), scope(), { requestId: "req-2" }));
    expect(refused).toMatchObject({ status: "miss", reason: "bound", semantic: { phase: "warm", threshold: 0.8 } });
    expect(refused.nearMiss?.upperBound).toBeGreaterThan(0.01);
    // With the shipped embedder, the cold threshold holds until feedback refutes or undercuts it.
    const fresh = new MemoryCalibration();
    for (const score of [0.7, 0.72, 0.74]) fresh.record(key, score, n);
    fresh.record(key, warm.similarity as number, 60, 20);
    calibration = fresh;
    expect((await make().lookup(input(chat(ASKED)))).semantic).toMatchObject({ phase: "cold", threshold: COLD });
  });

  it("keeps namespaces apart: another feature's feedback certifies nothing here", async () => {
    const n = checksToCertify(0.01);
    for (const score of [0.7, 0.72, 0.74]) calibration.record({ ...key, feature: "billing" }, score, n);
    expect((await make().lookup(input(chat(ASKED)))).semantic).toMatchObject({ phase: "cold", threshold: COLD });
  });

  it("lets a client tighten the bound's threshold, never loosen it", async () => {
    const n = checksToCertify(0.01);
    for (const score of [0.7, 0.72, 0.74]) calibration.record(key, score, n);
    const loose = await make().lookup(input(chat(ASKED), scope(), { directives: { ...NO_DIRECTIVES, threshold: 0.5 } }));
    expect(loose.semantic?.threshold).toBe(0.7);
    const strict = await make().lookup(input(chat(ASKED), scope(), { directives: { ...NO_DIRECTIVES, threshold: 0.95 } }));
    expect(strict).toMatchObject({ status: "miss", reason: "bound", semantic: { threshold: 0.95 } });
  });

  it("in static mode uses the policy threshold and no feedback", async () => {
    calibration.record(key, 0.74, 500, 100);
    const r = await make({ maxFalseHitRate: null, threshold: 0.7 }).lookup(input(chat(ASKED)));
    expect(r).toMatchObject({ status: "hit-semantic", semantic: { phase: "static", threshold: 0.7, delta: null } });
  });
});
