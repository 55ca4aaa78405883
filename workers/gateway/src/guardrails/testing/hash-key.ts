/** The `hash` action's key for tests: a fixed, test-only secret, keyed per tenant (redact/hash-key.ts). */
import { tenantPiiHashKey, type PiiHashKey } from "../redact/hash-key";

export const TEST_PII_HASH_SECRET = "test-only-pii-hash-key-not-a-real-secret-01";

export const testHashKey = (tenantId = "ten_test"): PiiHashKey => tenantPiiHashKey(TEST_PII_HASH_SECRET, tenantId);
