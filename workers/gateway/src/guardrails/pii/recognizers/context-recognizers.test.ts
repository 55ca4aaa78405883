import { describe, expect, it } from "vitest";
import { usBankNumberRecognizer } from "./us-bank-number";
import { usPassportRecognizer } from "./us-passport";
import { usDriverLicenseRecognizer } from "./us-driver-license";
import { found } from "./test-helpers";

describe("us-bank-number recognizer", () => {
  it.each([
    ["bank account number 3847283911 belonging to", "US_BANK_NUMBER", "3847283911"],
    ["routing number 061000104 for deposit", "ABA_ROUTING_NUMBER", "061000104"],
  ])("finds %s", (text, type, value) => expect(found(usBankNumberRecognizer, text)).toEqual([[type, value]]));
  it("needs a label", () => expect(found(usBankNumberRecognizer, "order 3847283911 shipped")).toEqual([]));
});

describe("us-passport recognizer", () => {
  it.each([
    ["passport number XG9382049 attached", "XG9382049"],
    ["her passport: 912803456", "912803456"],
  ])("finds %s", (text, value) => expect(found(usPassportRecognizer, text)).toEqual([["US_PASSPORT", value]]));
  it("needs a label for bare digits", () => expect(found(usPassportRecognizer, "ticket 912803456")).toEqual([]));
});

describe("us-driver-license recognizer", () => {
  it.each([
    ["driver's license D245-938-19-203 in the report", "D245-938-19-203"],
    ["license number K932-778-3840 for", "K932-778-3840"],
    ["DL: US98765432", "US98765432"],
  ])("finds %s", (text, value) => expect(found(usDriverLicenseRecognizer, text)).toEqual([["US_DRIVER_LICENSE", value]]));
  it("needs a label", () => expect(found(usDriverLicenseRecognizer, "part D245-938-19-203")).toEqual([]));
});
