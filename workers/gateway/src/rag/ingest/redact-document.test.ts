import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { decryptText, generateKeySpec, keyringFromEnv } from "../../../../../shared/crypto/envelope";
import { GatewayError } from "../../../../../shared/errors";
import { DEFAULT_GUARDRAIL_SETTINGS, GuardrailSettingsSchema } from "../../guardrails/settings";
import { ragFixture } from "../testing/fixtures";
import { redactDocument } from "./redact-document";
import { testHashKey } from "../../guardrails/testing/hash-key";

const NAME = "Marguerite Olsson";
const EMAIL = "m.olsson@fjordlight.example";
const PHONE = "+1 (415) 867-5309";
const TITLE = `Onboarding notes for ${NAME}`;
const TEXT = `# Contacts\n\nThe new office manager is ${NAME}. Write to ${EMAIL} or call ${PHONE} about desk keys.\n\n# Parking\n\nVisitors park behind the bakery; ${NAME} hands out the permits.`;
const CLEAR = [NAME, "Olsson", EMAIL, "867-5309"];

const keyring = () => keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });

/** Every value of every row of every table (FTS5 shadow tables' blobs read as bytes too). */
function dumpDatabase(sqlite: { prepare(sql: string): { all(): unknown[] } }): string {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  const cell = (v: unknown): string => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : String(v));
  return tables
    .flatMap(({ name }) => (sqlite.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).map((r) => Object.values(r).map(cell).join("\u0001")))
    .join("\n");
}

describe("redactDocument", () => {
  it("puts DOC_ placeholders in title and text and seals the originals in the vault", async () => {
    const ring = await keyring();
    const r = await redactDocument(TITLE, TEXT, DEFAULT_GUARDRAIL_SETTINGS, testHashKey("ten_a"), ring);
    expect(r.title).toBe("Onboarding notes for <DOC_PERSON_1>");
    expect(r.text).toContain("The new office manager is <DOC_PERSON_1>. Write to <DOC_EMAIL_ADDRESS_1> or call <DOC_PHONE_NUMBER_1>");
    expect(r.text).toContain("<DOC_PERSON_1> hands out the permits");
    for (const v of CLEAR) expect(`${r.title}${r.text}`).not.toContain(v);
    expect(r.entities).toBe(5);
    expect(r.vault).toMatch(/^gwe1\.k1\./);
    for (const v of CLEAR) expect(r.vault).not.toContain(v);
    expect(JSON.parse(await decryptText(r.vault ?? "", ring))).toEqual({
      "<DOC_PERSON_1>": NAME,
      "<DOC_EMAIL_ADDRESS_1>": EMAIL,
      "<DOC_PHONE_NUMBER_1>": PHONE,
    });
  });

  it("is one-way without a keyring, and keeps mask and hash results out of the vault", async () => {
    const oneWay = await redactDocument(TITLE, TEXT, DEFAULT_GUARDRAIL_SETTINGS, testHashKey("ten_a"), null);
    expect(oneWay.vault).toBeNull();
    expect(oneWay.text).toContain("<DOC_EMAIL_ADDRESS_1>");
    const settings = GuardrailSettingsSchema.parse({ pii: { entities: { PERSON: "hash", EMAIL_ADDRESS: "mask", PHONE_NUMBER: "allow" } } });
    const r = await redactDocument(TITLE, TEXT, settings, testHashKey("ten_a"), await keyring());
    expect(r.text).toContain("m***@fjordlight.example");
    expect(r.text).toMatch(/<PERSON:[0-9a-f]{12}>/);
    expect(r.text).toContain(PHONE);
    expect(r.vault).toBeNull();
  });

  it("rejects a document holding a blocked entity, and leaves text alone when PII is off", async () => {
    const block = GuardrailSettingsSchema.parse({ pii: { entities: { EMAIL_ADDRESS: "block" } } });
    await expect(redactDocument(TITLE, TEXT, block, testHashKey("t"), null)).rejects.toMatchObject({ code: "pii_blocked", status: 400 });
    await expect(redactDocument(TITLE, TEXT, block, testHashKey("t"), null)).rejects.toBeInstanceOf(GatewayError);
    const off = GuardrailSettingsSchema.parse({ pii: { enabled: false } });
    expect(await redactDocument(TITLE, TEXT, off, testHashKey("t"), null)).toEqual({ title: TITLE, text: TEXT, entities: 0, vault: null });
  });

  it("through ingestion, no stored row, FTS5 index entry or vector holds the clear values", async () => {
    const { ctx, raw, vectors, ingest } = await ragFixture();
    Object.assign(ctx, { keyring: await keyring() });
    const [out] = await ingest({ tenantId: "ten_a", collectionId: "hr" }, [{ id: "onboarding", title: TITLE, text: TEXT, metadata: {} }], { size: 120, overlap: 0 });
    expect(out).toMatchObject({ status: "ready", pii_entities: 5 });
    expect(out?.chunks).toBeGreaterThan(1);
    const stored = dumpDatabase(raw.sqlite);
    expect(stored).toContain("<DOC_PERSON_1>");
    expect(stored).toMatch(/gwe1\.k1\./);
    const lower = stored.toLowerCase();
    for (const v of [...CLEAR, "marguerite", "fjordlight"]) expect(lower).not.toContain(v.toLowerCase());
    expect(inspect(vectors, { depth: null, maxArrayLength: 0 }).toLowerCase()).not.toContain("olsson");
  });
});
