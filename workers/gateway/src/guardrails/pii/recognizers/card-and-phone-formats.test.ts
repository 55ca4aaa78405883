/**
 * Card numbers of every length an issuer uses (12–19 digits) and phone numbers in national and
 * international formats of many regions. All strings written for this test; card numbers are
 * issuer test numbers or made Luhn-valid here.
 */
import { describe, expect, it } from "vitest";
import { luhn } from "../checksums";
import { matchesIssuer } from "./card-issuers";
import { creditCardRecognizer } from "./credit-card";
import { makePhoneRecognizer, phoneRecognizer } from "./phone";
import { found } from "./test-helpers";

/** Appends the Luhn check digit to `body`. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error("unreachable");
}

describe("card issuers and lengths", () => {
  it.each([
    ["Maestro, 12 digits", withCheckDigit("50186466790")],
    ["Maestro 6759, 18 digits", withCheckDigit("67591234567890123")],
    ["Visa, 13 digits", withCheckDigit("422222222222")],
    ["Visa, 19 digits", withCheckDigit("491761000000000000")],
    ["Mastercard 2-series", withCheckDigit("222300004840001")],
    ["Amex, 15 digits", "378282246310005"],
    ["Diners, 14 digits", "30569309025904"],
    ["JCB, 16 digits", "3530111333300000"],
    ["JCB 2131, 15 digits", withCheckDigit("21310000000000")],
    ["UnionPay, 19 digits", withCheckDigit("621234567890123456")],
    ["Mir", withCheckDigit("220012345678901")],
    ["Discover 65", withCheckDigit("653123456789012")],
    ["UATP", withCheckDigit("11234567890123")],
  ])("%s: %s is a card without any label", (_name, digits) => {
    expect(matchesIssuer(digits)).toBe(true);
    expect(found(creditCardRecognizer, `number ${digits} on the form`)).toEqual([["CREDIT_CARD", digits]]);
  });

  it.each([
    ["grouped 12-digit Maestro", `paid with ${withCheckDigit("50386466790").replace(/(\d{4})(?=\d)/g, "$1 ")}`],
    ["dashed Visa", `visa ${withCheckDigit("411111111111111").replace(/(\d{4})(?=\d)/g, "$1-")}`],
  ])("%s", (_name, text) => expect(found(creditCardRecognizer, text)).toHaveLength(1));

  it.each([
    ["a stray digit after a grouped card", "card 4111 1111 1111 1111 0 on file", "4111 1111 1111 1111"],
    ["two stray digits after a Mastercard", "use 5500 0000 0000 0004 12 at checkout", "5500 0000 0000 0004"],
    ["a dashed card with a trailing group", "ref 3782-822463-10005-77", "3782-822463-10005"],
    ["a card and its security code", "card 4111 1111 1111 1111 123 exp 09/28", "4111 1111 1111 1111"],
    ["a dashed card and its code, no card word", "pay with 5500-0000-0000-0004-321 today", "5500-0000-0000-0004"],
    ["an Amex and its four-digit code", "amex 3782 822463 10005 1234", "3782 822463 10005"],
    ["a stray digit before a card", "call 0 4111 1111 1111 1111 now", "4111 1111 1111 1111"],
  ])("a card beside other digit groups: %s", (_name, text, value) => expect(found(creditCardRecognizer, text)).toEqual([["CREDIT_CARD", value]]));

  it.each([
    ["grouped digits with no card before the last group", "codes 1234 5678 9012 3456 7"],
    ["a Luhn-valid issuer number in odd groups with a 3-digit group after, no card word", "batch 411 111 111 111 1111 123"],
    ["a 12-digit Maestro is not looked for before stray digits", `codes ${withCheckDigit("50186466790").replace(/(\d{4})(?=\d)/g, "$1 ")} 7`],
    ["Luhn-valid 12 digits with no issuer", `order ${withCheckDigit("31234567890")}`],
    ["Visa prefix at a length Visa does not issue (14)", `ref ${withCheckDigit("4123456789012")}`],
    ["Luhn failure", "ticket 501864667908"],
    ["a phone number with +", `+${withCheckDigit("5012345678901")}`],
    ["11 digits", `id ${withCheckDigit("5012345678")}`],
  ])("not a card: %s", (_name, text) => expect(found(creditCardRecognizer, text)).toEqual([]));
});

describe("phone formats", () => {
  it.each([
    ["US dashed with extension", "call 415-555-2671x204", "415-555-2671x204"],
    ["US dotted", "reach me at 312.555.0188 tonight", "312.555.0188"],
    ["US 001 prefix", "dial 001-212-555-0143", "001-212-555-0143"],
    ["UK London international with (0)", "office +44 (0)20 7946 0321", "+44 (0)20 7946 0321"],
    ["UK national", "ring 020 7946 0321 today", "020 7946 0321"],
    ["Germany national with area code in parentheses", "Tel. (030) 9012 3456", "(030) 9012 3456"],
    ["Germany international", "mobil +49 151 23456789", "+49 151 23456789"],
    ["France national pairs", "appelez le 01 42 68 53 00", "01 42 68 53 00"],
    ["France international with (0)", "+33 (0)6 12 34 56 78 is mine", "+33 (0)6 12 34 56 78"],
    ["India international, one block", "whatsapp +91 9876543210", "+91 9876543210"],
    ["Australia national", "phone (02) 9374 4000", "(02) 9374 4000"],
    ["Japan mobile", "my number is 090-1234-5678", "090-1234-5678"],
    ["Brazil international", "fone +55 11 98765-4321", "+55 11 98765-4321"],
    ["Spain international", "+34 912 345 678 (oficina)", "+34 912 345 678"],
    ["Netherlands 00 prefix", "bel 0031 20 123 4567", "0031 20 123 4567"],
    ["Mexico international", "+52 55 1234 5678", "+52 55 1234 5678"],
    ["South Africa national", "cell 082 555 1234", "082 555 1234"],
    ["Nigeria international", "+234 803 123 4567", "+234 803 123 4567"],
  ])("%s", (_name, text, value) => expect(found(phoneRecognizer, text)).toEqual([["PHONE_NUMBER", value]]));

  it.each(["in 2024 we sold 1,000", "ip 192.168.1.20", "version 10.2.3", "page 12 of 40", "between 09 and 17"])("not a phone: %s", (text) =>
    expect(found(phoneRecognizer, text)).toEqual([]),
  );
});

describe("phones across lines, regions and labels", () => {
  it.each([
    ["a postcode ending the line above stays out of the number", "Berlin 10115\n030 1234567\nthanks", "030 1234567"],
    ["calling code in parentheses", "Jakarta office (+62) 21 5790 1234", "(+62) 21 5790 1234"],
    ["E.164 in an unassigned range", "wire it to +19604471285 today", "+19604471285"],
    ["German contact label, Austrian mobile", "Kontakt: 0664 1234567", "0664 1234567"],
    ["Cyrillic abbreviation", "моб. 067 123 4567", "067 123 4567"],
    ["a verb as the label, a region outside the common list", "We rang her on 060 1234567", "060 1234567"],
    ["'line is'", "his line is 0977 123 456", "0977 123 456"],
    ["'called from', no trunk digit", "called from 22 345 678 yesterday", "22 345 678"],
    ["the phone line of a contact block", "Ines Berg\n3312 4567\nines.berg@example.net", "3312 4567"],
    ["UK six-digit area code", "Phone: 017687 72345", "017687 72345"],
    ["Indian mobile with the trunk 0", "call 098765 43210", "098765 43210"],
    ["a Dutch mobile typed without spaces", "zoals gezegd: 0612345678", "0612345678"],
    ["a calling code without its +, in parentheses", "the Riga desk is (371)67123456 now", "(371)67123456"],
    ["a calling code without its +, run into the area code", "text 234805 772 1904 after six", "234805 772 1904"],
    ["a mobile typed 7-4 with the trunk 0", "her new line: 0803771 2290", "0803771 2290"],
  ])("%s", (_name, text, value) => expect(found(phoneRecognizer, text)).toEqual([["PHONE_NUMBER", value]]));

  it.each([
    ["a confidence interval", "95% CI, 0.004-0.02; P = .01"],
    ["grouped digits with no label", "order 4521 8876 shipped"],
    ["the same line without an email next to it", "Ines Berg\n3312 4567\nsee you"],
    ["a ZIP+4 code that is also a number abroad", "PO Box 311, Cherry Hill, NJ 08002-4417"],
    ["a reference number that is no valid number once a + is put in front", "ticket 1000 0000 0001 closed"],
  ])("not a phone: %s", (_name, text) => expect(found(phoneRecognizer, text)).toEqual([]));

  it("tries every region for at most a few labelled numbers per text, and still finds the common ones", () => {
    // Digit groups that only some small region's metadata accepts (no first region does).
    const sheet = ["0 004 723", "0 003 240", "0 006 003", "0 002 460", "0 005 768"].map((n) => `phone: ${n}`).join("\n");
    const bounded = makePhoneRecognizer(2);
    const unbounded = makePhoneRecognizer(Number.POSITIVE_INFINITY);
    // Same answer for numbers the first regions accept, whatever the bound.
    const common = "phone: 0351 4567890\nphone: 962 33 642";
    expect(found(bounded, common)).toEqual(found(unbounded, common));
    expect(found(bounded, common)).toHaveLength(2);
    // Numbers only some far region accepts: found up to the bound, not past it.
    expect(found(unbounded, sheet)).toHaveLength(5);
    expect(found(bounded, sheet)).toHaveLength(2);
  });
});
