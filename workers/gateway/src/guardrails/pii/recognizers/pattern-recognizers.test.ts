import { describe, expect, it } from "vitest";
import { emailRecognizer } from "./email";
import { ipAddressRecognizer } from "./ip-address";
import { urlRecognizer } from "./url";
import { phoneRecognizer } from "./phone";
import { dateTimeRecognizer } from "./date-time";
import { found } from "./test-helpers";

describe("email recognizer", () => {
  it.each([
    ["mail edward.kim@bytecore.com now", "edward.kim@bytecore.com"],
    ["<Jane_Hollis@aethermail.io>", "Jane_Hollis@aethermail.io"],
  ])("finds %s", (text, value) => expect(found(emailRecognizer, text)).toEqual([["EMAIL_ADDRESS", value]]));
  it("ignores a bare @handle", () => expect(found(emailRecognizer, "ping @alice")).toEqual([]));
});

describe("ip-address recognizer", () => {
  it.each([
    ["from 203.0.113.7.", "203.0.113.7"],
    ["v6 2001:db8:85a3::8a2e:370:7334 seen", "2001:db8:85a3::8a2e:370:7334"],
    ["fe80:0:0:0:204:61ff:fe9d:f156", "fe80:0:0:0:204:61ff:fe9d:f156"],
  ])("finds %s", (text, value) => expect(found(ipAddressRecognizer, text)).toEqual([["IP_ADDRESS", value]]));
  it.each(["at 10:30:00", "version 1.2.3.4.5", "999.1.1.1"])("rejects %s", (text) => expect(found(ipAddressRecognizer, text)).toEqual([]));
});

describe("url recognizer", () => {
  it.each([
    ["see https://example.com/a?b=1.", "https://example.com/a?b=1"],
    ["(www.example.org)", "www.example.org"],
  ])("finds %s", (text, value) => expect(found(urlRecognizer, text)).toEqual([["URL", value]]));
});

describe("phone recognizer", () => {
  it.each([
    ["call +1 (415) 555-0132 today", "+1 (415) 555-0132"],
    ["phone: 212-555-0199", "212-555-0199"],
    ["+44 20 7946 0958", "+44 20 7946 0958"],
    ["Telefon +49 30 12345678", "+49 30 12345678"],
    ["office (551) 389-3688 x0018 ok", "(551) 389-3688 x0018"],
    ["call 1-761-945-4295", "1-761-945-4295"],
  ])("finds %s", (text, value) => expect(found(phoneRecognizer, text)).toEqual([["PHONE_NUMBER", value]]));
  it.each(["in 2024 we sold 1,000", "ip 192.168.1.20"])("rejects %s", (text) => expect(found(phoneRecognizer, text)).toEqual([]));
});

describe("date-time recognizer", () => {
  it.each([
    ["born on March 3, 1985", "March 3, 1985", 0.9],
    ["DOB: 1985-03-03", "1985-03-03", 0.9],
    ["due 12/31/2024", "12/31/2024", 0.5],
  ])("finds %s", (text, value, min) => expect(found(dateTimeRecognizer, text, min)).toEqual([["DATE_TIME", value]]));
});
