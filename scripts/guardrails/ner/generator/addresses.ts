/**
 * Address renderers: each joins faker parts (street, building, unit, city, region, postcode,
 * country) in one national or institutional layout. The whole result is one STREET_ADDRESS
 * span. Layouts are split into a training set and a held-out set never used in training.
 */
import type { Faker } from "@faker-js/faker";
import { chance, digits, int, pick, type Rng } from "./random";
import { safe } from "./locales";

export type AddressRenderer = (f: Faker, r: Rng) => string;

const street = (f: Faker): string => safe(f, (x) => x.location.street());
const building = (f: Faker): string => safe(f, (x) => x.location.buildingNumber());
const unit = (f: Faker): string => safe(f, (x) => x.location.secondaryAddress());
const city = (f: Faker): string => safe(f, (x) => x.location.city());
const zip = (f: Faker): string => safe(f, (x) => x.location.zipCode());
const state = (f: Faker, abbr: boolean): string => safe(f, (x) => x.location.state({ abbreviated: abbr }));
const country = (f: Faker): string => safe(f, (x) => x.location.country());
const streetLine = (f: Faker, r: Rng): string => safe(f, (x) => x.location.streetAddress(chance(r, 0.4)));
const sep = (r: Rng): string => pick(r, [", ", ", ", "\n", " "]);
const MIL_CODE = ["AA", "AE", "AP"];

export const TRAIN_ADDRESSES: readonly AddressRenderer[] = [
  (f, r) => `${streetLine(f, r)}, ${city(f)}, ${state(f, true)} ${zip(f)}`,
  (f, r) => streetLine(f, r),
  (f, r) => `${streetLine(f, r)}${sep(r)}${city(f)}, ${country(f)} ${zip(f)}`,
  (f, _r) => `${street(f)} ${building(f)}, ${zip(f)} ${city(f)}`,
  (f, r) => `${streetLine(f, r)}\n${city(f)}, ${state(f, chance(r, 0.7))} ${zip(f)}`,
  (f, r) => `${streetLine(f, r)}, ${city(f)}`,
  (f, r) => `${streetLine(f, r)}, ${zip(f)} ${city(f)}, ${country(f)}`,
  (f, r) => `Flat ${int(r, 1, 40)}, ${building(f)} ${street(f)}${sep(r)}${city(f)}${sep(r)}${zip(f)}`,
  (f, r) => `${pick(r, ["PO Box", "P.O. Box", "POB", "Post Office Box", "P. O. Box"])} ${int(r, 1, 99999)}${sep(r)}${city(f)}, ${state(f, true)} ${zip(f)}`,
  (f, r) => `${pick(r, ["PSC", "CMR"])} ${digits(r, 4)}, Box ${digits(r, 4)}${sep(r)}${pick(r, ["APO", "FPO", "DPO"])} ${pick(r, MIL_CODE)} ${digits(r, 5)}`,
  (f, r) => `Unit ${digits(r, 4)} Box ${digits(r, 4)}${sep(r)}DPO ${pick(r, MIL_CODE)} ${digits(r, 5)}`,
  (f, r) => `${pick(r, ["USS", "USNS", "USCGC"])} ${safe(f, (x) => x.person.lastName())}${sep(r)}FPO ${pick(r, MIL_CODE)} ${digits(r, 5)}`,
  (f, r) => `${zip(f)} ${city(f)} ${streetLine(f, r)}`,
  (f, r) => `${streetLine(f, r)}, ${city(f)}, ${state(f, false)}, ${country(f)}`,
];

/** Layouts only the held-out group uses. */
export const TEST_ADDRESSES: readonly AddressRenderer[] = [
  (f, _r) => `${building(f)}, ${street(f)}\n${city(f)} ${zip(f)}\n${country(f).toUpperCase()}`,
  (f, _r) => `${unit(f)}, ${building(f)} ${street(f)}, ${city(f)} ${state(f, true)}`,
  (f, r) => `${streetLine(f, r)} - ${city(f)} (${state(f, false)}) - ${zip(f)}`,
  (f, r) => `Box ${int(r, 10, 9999)}, ${city(f)}, ${state(f, true)} ${zip(f)}`,
  (f, r) => `${pick(r, ["PSC", "Unit"])} ${digits(r, 4)} Box ${digits(r, 4)} ${pick(r, ["APO", "DPO"])} ${pick(r, MIL_CODE)} ${digits(r, 5)}`,
  (f, r) => `${streetLine(f, r)} ${city(f)} ${zip(f)}`,
  (f, _r) => `${street(f)}, ${building(f)}, ${city(f)}, ${zip(f)}`,
];

export const DEV_ADDRESSES: readonly AddressRenderer[] = [
  (f, r) => `${streetLine(f, r)}, ${city(f)} ${zip(f)}`,
  (f, r) => `${streetLine(f, r)}\n${zip(f)} ${city(f)}\n${country(f)}`,
  (f, r) => `P.O. Box ${int(r, 1, 9999)}, ${city(f)} ${zip(f)}`,
  (f, r) => `${pick(r, ["USS", "USNS"])} ${safe(f, (x) => x.person.lastName())}, FPO ${pick(r, MIL_CODE)} ${digits(r, 5)}`,
  (f, r) => `${streetLine(f, r)}, ${city(f)}, ${state(f, false)} ${zip(f)}`,
];
