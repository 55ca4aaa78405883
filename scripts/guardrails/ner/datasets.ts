/**
 * The splits, by source: training (wikigold, WNUT17-train, BTC a/b/e/f/g, SEC-train, 4/5 of
 * usaddress, generator training templates), dev for choosing settings (WNUT17-dev, BTC-h, 1/5 of
 * usaddress, dev templates) and held-out for reporting only (WNUT17-test, SEC-test, held-out
 * templates with held-out locales and address layouts).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readConll, readUsAddresses } from "./corpora";
import { ExampleBuilder, type Example } from "./example";
import { DEV_ADDRESSES, TEST_ADDRESSES, TRAIN_ADDRESSES, type AddressRenderer } from "./generator/addresses";
import { generate } from "./generator/generate";
import { pick, rng } from "./generator/random";
import { DEV_TEMPLATES } from "./generator/templates-dev";
import { TEST_TEMPLATES } from "./generator/templates-test";
import { TRAIN_TEMPLATES } from "./generator/templates-train";

export const DEFAULT_DATA = resolve(import.meta.dirname, "../../../../shared/data/ner");

export interface Splits {
  train: Example[];
  dev: Record<string, Example[]>;
  test: Record<string, Example[]>;
  /** The data files read, relative to the data directory, in reading order. */
  files: string[];
}

export interface SplitOptions {
  data: string;
  generated: number;
  seed: number;
  /** false: only the dev and held-out splits (benchmarks). */
  withTrain?: boolean;
}

const bare = (addresses: readonly string[], source: string): Example[] => addresses.map((a) => new ExampleBuilder().add(a, "STREET_ADDRESS").build(source));

/** usaddress strings also appear inside generated sentences, as one more address layout. */
const fromList = (list: readonly string[]): AddressRenderer => (_f, r) => pick(r, list);

export function loadSplits(opts: SplitOptions): Splits {
  const files: string[] = [];
  const file = (name: string): string => {
    const p = join(opts.data, name);
    if (!existsSync(p)) throw new Error(`missing ${p}: the NER sets live in ../shared/data/ner (pass --data)`);
    files.push(name);
    return p;
  };
  const conll = (name: string): Example[] => readConll(file(`${name}.conll`), name);
  const us = readUsAddresses(file("usaddress-labeled.xml"));
  const usTrain = us.filter((_, i) => i % 5 !== 0);
  const usDev = us.filter((_, i) => i % 5 === 0);
  const r = rng(opts.seed);
  const trainAddr = [...TRAIN_ADDRESSES, fromList(usTrain), fromList(usTrain), fromList(usTrain)];
  const train = opts.withTrain === false ? [] : [
    ...conll("wikigold"), ...conll("wnut17-train"), ...["a", "b", "e", "f", "g"].flatMap((k) => conll(`btc-${k}`)), ...conll("sec-filings-train"),
    ...bare(usTrain.filter(() => r() < 0.5), "usaddress-train"),
    ...generate({ group: "train", templates: TRAIN_TEMPLATES, addresses: trainAddr, count: opts.generated, seed: opts.seed }),
  ];
  const dev = {
    "wnut17-dev": conll("wnut17-dev"),
    "btc-h": conll("btc-h"),
    "usaddress-dev": bare(usDev, "usaddress-dev"),
    "generated-dev": generate({ group: "dev", templates: DEV_TEMPLATES, addresses: [...DEV_ADDRESSES, fromList(usDev)], count: 1500, seed: opts.seed + 1 }),
  };
  const test = {
    "wnut17-test": conll("wnut17-test"),
    "sec-filings-test": conll("sec-filings-test"),
    "generated-heldout": generate({ group: "test", templates: TEST_TEMPLATES, addresses: TEST_ADDRESSES, count: 2000, seed: opts.seed + 2 }),
  };
  return { train, dev, test, files };
}
