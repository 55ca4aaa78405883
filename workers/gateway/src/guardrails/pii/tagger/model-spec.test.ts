/**
 * The shipped tagger is what `npm run guardrails:train-ner` would write today. Retraining here
 * takes a minute and needs the shared data, so the test compares the hash of the trainer's inputs
 * (scripts/guardrails/ner/spec.ts: run settings, every source file the trainer reaches, package
 * versions) with the one the trainer wrote into the file.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA } from "../../../../../../scripts/guardrails/ner/datasets";
import { SHIPPED_RUN, specInputs, taggerSpecHash } from "../../../../../../scripts/guardrails/ner/spec";
import { TaggerFileSchema } from "./model";
import shipped from "./model/entity-tagger.json";

const RETRAIN = "model/entity-tagger.json is not what the current code builds: retrain with npm run guardrails:train-ner (about a minute) and commit the file";
const file = TaggerFileSchema.parse(shipped);

describe("shipped entity tagger", () => {
  it("was built by the current trainer, decoder and settings", () => {
    expect(file.spec?.hash, RETRAIN).toBe(taggerSpecHash(SHIPPED_RUN));
    expect(file.training, RETRAIN).toMatchObject(SHIPPED_RUN.train);
  });

  it("hashes the decoder the calibration is fitted on, the features and the generator", () => {
    const { files, packages } = specInputs();
    const tagger = "workers/gateway/src/guardrails/pii/tagger";
    expect(files).toEqual(expect.arrayContaining([`${tagger}/tag.ts`, `${tagger}/decode.ts`, `${tagger}/features.ts`, `${tagger}/lexicon.ts`, "scripts/guardrails/ner/build.ts", "scripts/guardrails/ner/generator/templates-train.ts", "shared/hash/fnv1a.ts"]));
    expect(files).not.toContain(`${tagger}/model/entity-tagger.json`);
    expect(packages).toContain("@faker-js/faker");
  });

  it("changes with the run settings", () => {
    expect(taggerSpecHash({ ...SHIPPED_RUN, generated: SHIPPED_RUN.generated + 1 })).not.toBe(taggerSpecHash(SHIPPED_RUN));
  });

  // The shared NER sets are not in the repository; where they are, their sizes must be the trained ones.
  it.skipIf(!existsSync(DEFAULT_DATA))("was trained on the shared NER files as they are now", () => {
    expect(file.spec?.data.length).toBeGreaterThan(0);
    for (const d of file.spec?.data ?? []) expect(statSync(join(DEFAULT_DATA, d.file)).size, `${d.file}: ${RETRAIN}`).toBe(d.bytes);
  });
});
