import { describe, expect, it } from "vitest";
import { creditCardRecognizer } from "./credit-card";
import { ibanRecognizer } from "./iban";
import { usSsnRecognizer } from "./us-ssn";
import { cryptoRecognizer } from "./crypto";
import { found } from "./test-helpers";

describe("credit-card recognizer", () => {
  it.each([
    ["card 4539 1488 0343 6467 on file", "4539 1488 0343 6467"],
    ["amex 3782-822463-10005", "3782-822463-10005"],
    ["visa 4111111111111111.", "4111111111111111"],
  ])("finds %s", (text, value) => expect(found(creditCardRecognizer, text)).toEqual([["CREDIT_CARD", value]]));
  it.each(["order 4539 1488 0343 6468", "1111 1111 1111 1111", "phone 415 555 0132"])("rejects %s (Luhn / shape)", (text) =>
    expect(found(creditCardRecognizer, text)).toEqual([]),
  );
});

describe("iban recognizer", () => {
  it.each([
    ["IBAN GB29 NWBK 6016 1331 9268 19 was flagged", "GB29 NWBK 6016 1331 9268 19"],
    ["pay to DE89370400440532013000 today", "DE89370400440532013000"],
    ["FR76 3000 6000 0112 3456 7890 189 ok", "FR76 3000 6000 0112 3456 7890 189"],
  ])("finds %s", (text, value) => expect(found(ibanRecognizer, text)).toEqual([["IBAN_CODE", value]]));
  it("rejects a bad check digit", () => expect(found(ibanRecognizer, "GB28 NWBK 6016 1331 9268 19")).toEqual([]));
});

describe("us-ssn recognizer", () => {
  it.each([
    ["SSN 521-44-9382 leaked", "521-44-9382", 0.85],
    ["social security number 521449382", "521449382", 1],
  ])("finds %s", (text, value, min) => expect(found(usSsnRecognizer, text, min)).toEqual([["US_SSN", value]]));
  it.each(["000-12-3456", "666-12-3456", "123-00-4567", "order 521449382"])("rejects %s", (text) =>
    expect(found(usSsnRecognizer, text)).toEqual([]),
  );
});

describe("crypto recognizer", () => {
  it.each([
    ["btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"],
    ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    ["eth 0x52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886E0F7030069857D2E4169EE7"],
  ])("finds %s", (text, value) => expect(found(cryptoRecognizer, text)).toEqual([["CRYPTO", value]]));
  it("rejects a base58 string with a broken checksum", () =>
    expect(found(cryptoRecognizer, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")).toEqual([]));
});
