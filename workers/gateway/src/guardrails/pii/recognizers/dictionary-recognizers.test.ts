import { describe, expect, it } from "vitest";
import { personRecognizer } from "./person";
import { locationRecognizer } from "./location";
import { organizationRecognizer } from "./organization";
import { found } from "./test-helpers";

describe("person recognizer", () => {
  it.each([
    ["Jane Doe's SSN leaked", "Jane Doe"],
    ["used by Michael Tran to buy", "Michael Tran"],
    ["Dr. Helena Shaw uploaded it", "Helena Shaw"],
    ["Officer Barnes recorded", "Barnes"],
    ["client Samira El-Bashir called", "Samira El-Bashir"],
    ["signed John F. Kennedy", "John F. Kennedy"],
    ["NAME: MARIA GARCIA", "MARIA GARCIA"],
  ])("finds %s", (text, value) => expect(found(personRecognizer, text)).toEqual([["PERSON", value]]));
  it.each(["The Quarterly Report was late.", "Will you help me?", "Credit Card Number"])("ignores %s", (text) =>
    expect(found(personRecognizer, text)).toEqual([]),
  );
});

describe("location recognizer", () => {
  it.each([
    ["She lives in Paris now", "LOCATION", "Paris"],
    ["moved to New York last year", "LOCATION", "New York"],
    ["ship to 123 Main Street, Springfield, IL 62704", "STREET_ADDRESS", "123 Main Street, Springfield, IL 62704"],
  ])("finds %s", (text, type, value) => expect(found(locationRecognizer, text)).toContainEqual([type, value]));
});

describe("organization recognizer", () => {
  it.each([
    ["Acme Bank listed", "Acme Bank"],
    ["firm Sterling & Associates reported", "Sterling & Associates"],
    ["at the University of Texas today", "University of Texas"],
    ["the IRS flagged it", "IRS"],
  ])("finds %s", (text, value) => expect(found(organizationRecognizer, text)).toEqual([["ORGANIZATION", value]]));
  it("needs a suffix or a known name", () => expect(found(organizationRecognizer, "Bank holidays are fun")).toEqual([]));
});
