import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapDataUrl, mapFileData } from "./data-payload";
import { base64Utf8 } from "./testing/chat-request-builder";

const shout = (t: string) => t.replace(/orchid/g, "<X>");
const decode = (b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

describe("inline payloads", () => {
  it("a base64 text data URL is decoded, mapped and encoded again, its header kept", () => {
    const url = `data:text/plain;charset=utf-8;base64,${base64Utf8("the orchid room, 3rd floor — ünïcode")}`;
    const r = mapDataUrl(url, shout);
    expect(r.kind).toBe("text");
    const value = r.kind === "text" ? r.value : "";
    expect(value.startsWith("data:text/plain;charset=utf-8;base64,")).toBe(true);
    expect(decode(value.slice(value.indexOf(",") + 1))).toBe("the <X> room, 3rd floor — ünïcode");
  });

  it("a percent-encoded SVG and a data URL without a media type (text/plain) are text", () => {
    const svg = `data:image/svg+xml,${encodeURIComponent("<svg><text>orchid</text></svg>")}`;
    const r = mapDataUrl(svg, shout);
    expect(r).toEqual({ kind: "text", value: `data:image/svg+xml,${encodeURIComponent("<svg><text><X></text></svg>")}` });
    expect(mapDataUrl("data:,orchid%20bloom", shout)).toEqual({ kind: "text", value: "data:,%3CX%3E%20bloom" });
  });

  it("binary media, undecodable base64 and bytes that are not UTF-8 are opaque", () => {
    expect(mapDataUrl("data:image/png;base64,iVBORw0KGgo=", shout)).toEqual({ kind: "opaque", mediaType: "image/png" });
    expect(mapDataUrl("data:application/pdf;base64,JVBERi0x", shout)).toEqual({ kind: "opaque", mediaType: "application/pdf" });
    expect(mapDataUrl("data:text/plain;base64,@@not base64@@", shout)).toEqual({ kind: "opaque", mediaType: "text/plain" });
    expect(mapDataUrl(`data:text/plain;base64,${btoa("\xff\xfe\xfa")}`, shout)).toEqual({ kind: "opaque", mediaType: "text/plain" });
  });

  it("file_data as bare base64 is text when the filename says so, else opaque", () => {
    const r = mapFileData(base64Utf8("orchid,7"), "inventory.csv", shout);
    expect(r.kind === "text" && decode(r.value)).toBe("<X>,7");
    expect(mapFileData(base64Utf8("orchid"), "scan.pdf", shout).kind).toBe("opaque");
    expect(mapFileData(base64Utf8("orchid"), undefined, shout).kind).toBe("opaque");
  });

  it("property: a payload the map leaves alone comes back byte for byte; a mapped one decodes to the mapped text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), fc.boolean(), fc.boolean(), (text, base64, withOrchid) => {
        const body = withOrchid ? `${text} orchid ${text}` : text.replace(/orchid/g, "");
        const url = base64 ? `data:text/markdown;base64,${base64Utf8(body)}` : `data:text/markdown,${encodeURIComponent(body)}`;
        const r = mapDataUrl(url, shout);
        expect(r.kind).toBe("text");
        const value = r.kind === "text" ? r.value : "";
        if (!withOrchid) expect(value).toBe(url);
        const data = value.slice(value.indexOf(",") + 1);
        expect(base64 ? decode(data) : decodeURIComponent(data)).toBe(shout(body));
      }),
      { numRuns: 300, seed: 31 },
    );
  });
});
