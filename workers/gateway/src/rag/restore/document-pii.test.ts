import { describe, expect, it } from "vitest";
import { generateKeySpec, keyringFromEnv } from "../../../../../shared/crypto/envelope";
import { GuardrailSettingsSchema } from "../../guardrails/settings";
import type { ScreenedChunk } from "../grounding/screen-chunks";
import { ragFixture } from "../testing/fixtures";
import { chunksByIds } from "../store/chunks-repo";
import { documentChunkIds } from "../store/collections-repo";
import { mayRestoreDocumentPii, openDocumentVaults, restoreDocumentText } from "./document-pii";
import { groundedAnswerRestorer, numberGroundedPlaceholders } from "./grounded-placeholders";
import { testHashKey } from "../../guardrails/testing/hash-key";

const scope = { tenantId: "ten_a", collectionId: "hr" };
const HANNA = { id: "hanna", title: "Desk keys", text: "Desk keys are handed out by Hanna Lindqvist, reachable at hanna.l@brightmoor.example.", metadata: {} };
const PIETRO = { id: "pietro", title: "Parking permits", text: "Parking permits are signed by Pietro Vandelli, reachable at p.vandelli@brightmoor.example.", metadata: {} };
const settings = (entities: Record<string, string> = {}) => GuardrailSettingsSchema.parse({ pii: { entities } });

async function ingested() {
  const f = await ragFixture();
  const keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  Object.assign(f.ctx, { keyring });
  await f.ingest(scope, [HANNA, PIETRO]);
  const chunks = await chunksByIds(f.db, scope, [...(await documentChunkIds(f.db, "ten_a", "hr", "hanna")), ...(await documentChunkIds(f.db, "ten_a", "hr", "pietro"))]);
  const kept: ScreenedChunk[] = chunks.map((chunk, i) => ({ hit: { chunk, bm25: null, bm25Rank: null, dense: null, denseRank: null, fused: 0, rank: i + 1, rerank: null }, treatment: "plain", injectionScore: 0 }));
  return { ...f, keyring, chunks, kept };
}

describe("who may see a document's PII", () => {
  it("only developer or admin keys holding content:read", () => {
    expect(mayRestoreDocumentPii({ role: "developer", scopes: ["content:read"] })).toBe(true);
    expect(mayRestoreDocumentPii({ role: "admin", scopes: ["content:read"] })).toBe(true);
    expect(mayRestoreDocumentPii({ role: "developer", scopes: [] })).toBe(false);
    expect(mayRestoreDocumentPii({ role: "service", scopes: ["content:read"] })).toBe(false);
    expect(mayRestoreDocumentPii({ role: "viewer", scopes: ["content:read"] })).toBe(false);
  });
});

describe("restoring stored chunks", () => {
  it("restores a chunk from its own document's vault, per the policy in force now", async () => {
    const { db, keyring, chunks } = await ingested();
    const hanna = chunks.find((c) => c.documentId === "hanna");
    expect(hanna?.text).toContain("<DOC_PERSON_1>, reachable at <DOC_EMAIL_ADDRESS_1>");
    const vaults = await openDocumentVaults(db, keyring, scope, chunks.map((c) => ({ documentId: c.documentId, contentHash: c.contentHash })));
    expect(restoreDocumentText(hanna?.text ?? "", vaults.get("hanna"), settings(), testHashKey("ten_a"))).toContain("by Hanna Lindqvist, reachable at hanna.l@brightmoor.example.");
    const tightened = restoreDocumentText(hanna?.text ?? "", vaults.get("hanna"), settings({ PERSON: "block", EMAIL_ADDRESS: "mask" }), testHashKey("ten_a"));
    expect(tightened).toContain("by <DOC_PERSON_1>, reachable at h***@brightmoor.example.");
  });

  it("opens nothing without a keyring or for a replaced version", async () => {
    const { db, keyring, chunks } = await ingested();
    const versions = chunks.map((c) => ({ documentId: c.documentId, contentHash: c.contentHash }));
    expect((await openDocumentVaults(db, null, scope, versions)).size).toBe(0);
    expect((await openDocumentVaults(db, keyring, scope, versions.map((v) => ({ ...v, contentHash: "old" })))).size).toBe(0);
    expect((await openDocumentVaults(db, keyring, { ...scope, tenantId: "ten_b" }, versions)).size).toBe(0);
  });
});

describe("restoring a grounded answer", () => {
  it("renumbers two documents' placeholders apart and restores each to its own value", async () => {
    const { db, keyring, kept } = await ingested();
    const { kept: numbered, refs } = numberGroundedPlaceholders(kept);
    const sent = numbered.map((k) => k.hit.chunk.text).join("\n");
    expect(sent).toContain("<DOC_PERSON_1>");
    expect(sent).toContain("<DOC_PERSON_2>");
    expect(refs.size).toBe(4);
    const restore = groundedAnswerRestorer(refs, (v) => openDocumentVaults(db, keyring, scope, v), settings(), testHashKey("ten_a"));
    const answer = "Ask <DOC_PERSON_1> (<DOC_EMAIL_ADDRESS_1>) for keys and <DOC_PERSON_2> for permits; <DOC_PERSON_9> is unknown.";
    const byDoc = new Map(numbered.map((k) => [k.hit.chunk.documentId, k.hit.chunk.text]));
    const hannaFirst = byDoc.get("hanna")?.includes("<DOC_PERSON_1>");
    const [first, second] = hannaFirst ? ["Hanna Lindqvist", "Pietro Vandelli"] : ["Pietro Vandelli", "Hanna Lindqvist"];
    const mail = hannaFirst ? "hanna.l@brightmoor.example" : "p.vandelli@brightmoor.example";
    expect(await restore(answer)).toBe(`Ask ${first} (${mail}) for keys and ${second} for permits; <DOC_PERSON_9> is unknown.`);
  });

  it("leaves placeholders when the vaults cannot be opened", async () => {
    const { kept } = await ingested();
    const { refs } = numberGroundedPlaceholders(kept);
    const restore = groundedAnswerRestorer(refs, async () => new Map(), settings(), testHashKey("ten_a"));
    expect(await restore("Ask <DOC_PERSON_1>.")).toBe("Ask <DOC_PERSON_1>.");
  });
});
