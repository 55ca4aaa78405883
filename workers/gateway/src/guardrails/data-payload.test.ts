import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapDataUrl, mapFileData, payloadText, type PayloadMapper } from "./data-payload";
import { base64Utf8 } from "./testing/chat-request-builder";

const shout: PayloadMapper = (t) => t.replace(/orchid/g, "<X_1>");
const decode = (b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
const textOf = (r: ReturnType<typeof mapDataUrl>): string => {
  if (r.kind !== "text") throw new Error(`expected text, got ${r.kind}`);
  const data = r.value.slice(r.value.indexOf(",") + 1);
  return /;\s*base64\s*,/i.test(r.value) ? decode(data) : decodeURIComponent(data);
};

describe("inline payloads", () => {
  it("a base64 text data URL is decoded, mapped and encoded again, its header kept", () => {
    const url = `data:text/plain;charset=utf-8;base64,${base64Utf8("the orchid room, 3rd floor — ünïcode")}`;
    const r = mapDataUrl(url, shout);
    expect(r.kind === "text" && r.value.startsWith("data:text/plain;charset=utf-8;base64,")).toBe(true);
    expect(textOf(r)).toBe("the <X_1> room, 3rd floor — ünïcode");
  });

  it("reads data: URLs as browsers do: any case, leading space, spaced parameters, %-escaped base64, base64url, stray %", () => {
    const b64 = base64Utf8("orchid?>>"); // holds '+' or '/' in standard base64
    expect(textOf(mapDataUrl(` DATA:Text/Plain ; base64 ,${b64}`, shout))).toBe("<X_1>?>>");
    expect(textOf(mapDataUrl(`data:text/plain;base64,${b64.replace(/=/g, "%3D")}`, shout))).toBe("<X_1>?>>");
    expect(textOf(mapDataUrl(`data:text/plain;base64,${b64.replace(/\+/g, "-").replace(/\//g, "_")}`, shout))).toBe("<X_1>?>>");
    expect(textOf(mapDataUrl("data:text/plain,100% orchid", shout))).toBe("100% <X_1>");
    expect(mapDataUrl("data:,orchid%20bloom", shout)).toEqual({ kind: "text", value: "data:,%3CX_1%3E%20bloom" });
  });

  it("a file is read by its bytes, not its label or name: octet-stream, a CSV typed as Excel, bare base64 of any name", () => {
    expect(textOf(mapFileData(`data:application/octet-stream;base64,${base64Utf8("orchid")}`, shout))).toBe("<X_1>");
    expect(textOf(mapFileData(`data:application/vnd.ms-excel;base64,${base64Utf8("a,orchid")}`, shout))).toBe("a,<X_1>");
    const bare = mapFileData(base64Utf8("BEGIN:VCARD\nFN:orchid\nEND:VCARD"), shout);
    expect(bare.kind === "text" && decode(bare.value)).toBe("BEGIN:VCARD\nFN:<X_1>\nEND:VCARD");
  });

  it("binary stays opaque, including a PDF that happens to be ASCII; an image is never decoded", () => {
    expect(mapDataUrl("data:image/png;base64,iVBORw0KGgo=", shout)).toEqual({ kind: "opaque", mediaType: "image/png" });
    expect(mapFileData(`data:application/pdf;base64,${base64Utf8("%PDF-1.4 orchid")}`, shout)).toEqual({ kind: "opaque", mediaType: "application/pdf" });
    expect(mapFileData(base64Utf8("%PDF-1.4 orchid"), shout).kind).toBe("opaque");
    expect(mapFileData(`data:audio/wav;base64,${btoa("RIFF\x00\x01")}`, shout).kind).toBe("opaque");
  });

  it("text that cannot be read as UTF-8 is unreadable when labelled text, opaque when not", () => {
    expect(mapDataUrl(`data:text/plain;charset=utf-16le;base64,${btoa("o\x00r\x00")}`, shout)).toEqual({ kind: "unreadable", mediaType: "text/plain" });
    expect(mapDataUrl(`data:text/plain;charset=iso-8859-1,It%92s`, shout).kind).toBe("unreadable");
    expect(mapDataUrl("data:text/plain,It%92s", shout).kind).toBe("unreadable"); // a cp1252 byte: not UTF-8
    expect(mapDataUrl("data:text/plain;base64,@@not base64@@", shout).kind).toBe("unreadable");
    expect(mapDataUrl(`data:text/plain;base64,${btoa("o\x00r")}`, shout).kind).toBe("unreadable"); // NUL bytes
    expect(mapFileData(`data:application/octet-stream;base64,${btoa("\xff\xfe\x00")}`, shout).kind).toBe("opaque");
  });

  it("JSON is read with its escapes decoded, keys and duplicates included; what is not rewritten keeps its bytes", () => {
    const json = `{\n  "orchid": 1,\n  "note": "see \\u006frchid",\n  "note": "ok",\n  "big": 9007199254740993\n}`;
    const r = textOf(mapDataUrl(`data:application/json,${encodeURIComponent(json)}`, shout));
    expect(r).toBe(`{\n  "<X_1>": 1,\n  "note": "see <X_1>",\n  "note": "ok",\n  "big": 9007199254740993\n}`);
    const plain = `data:application/json,${encodeURIComponent('{\n  "note": "daisy \\u0022q\\u0022"\n}')}`;
    expect(mapDataUrl(plain, shout)).toEqual({ kind: "text", value: plain });
    const lines = `{"a":"x"}\n{"b":"orchid"}\n`;
    expect(decode(String((mapFileData(base64Utf8(lines), shout) as { value: string }).value))).toBe(`{"a":"x"}\n{"b":"<X_1>"}\n`);
  });

  it("JSON: escaped surrogate pairs are read (hidden tag characters), an escaped backslash is not an escape, a redacted number is quoted", () => {
    const tags = `{"note":"hi\\udb40\\udc69\\udb40\\udc67"}`; // two invisible tag characters, escaped
    const stripped = mapDataUrl(`data:application/json,${encodeURIComponent(tags)}`, (t) => t.replace(/[\u{E0000}-\u{E007F}]/gu, ""));
    expect(textOf(stripped)).toBe('{"note":"hi"}');
    const path = `{"path":"C:\\\\u00e9t\\u00e9","who":"orchid"}`; // a backslash then "u00e9", and an escaped é
    const mapped = textOf(mapDataUrl(`data:application/json,${encodeURIComponent(path)}`, shout));
    expect(JSON.parse(mapped)).toEqual({ path: "C:\\u00e9té", who: "<X_1>" });
    const phone: PayloadMapper = (t) => t.replace(/4155550123/g, "<PHONE_NUMBER_1>");
    expect(JSON.parse(textOf(mapDataUrl(`data:application/json,${encodeURIComponent('{"phone": 4155550123}')}`, phone)))).toEqual({ phone: "<PHONE_NUMBER_1>" });
  });

  it("a raw # in percent-mode text is data (a heading, a ticket number); in base64 a fragment is dropped and not forwarded", () => {
    expect(textOf(mapDataUrl("data:text/plain,Ticket #42 for orchid", shout))).toBe("Ticket #42 for <X_1>");
    const r = mapDataUrl(`data:text/plain;base64,${base64Utf8("plain")}#orchid`, shout);
    expect(r).toEqual({ kind: "text", value: `data:text/plain;base64,${base64Utf8("plain")}` });
  });

  it("a mostly UTF-8 file with one stray Windows byte is read as UTF-8, not as a code page", () => {
    const bytes = [...new TextEncoder().encode("José Müller, orchid")].concat([0x92]);
    const r = mapFileData(btoa(String.fromCharCode(...bytes)), shout);
    expect(r.kind === "text" && decode(r.value)).toBe("José Müller, <X_1>\ufffd");
  });

  it("the window counts a payload's raw text (escapes undecoded): never less than what the guardrails read", () => {
    const json = `{"a":"${"\\u0041".repeat(50)}"}`;
    expect(payloadText(`data:application/json,${encodeURIComponent(json)}`, "image_url")).toBe(json);
  });

  it("a file that is not UTF-8 but is text is still read: a Windows code page, UTF-16 with a BOM, a log with colour codes", () => {
    const cp1252 = String.fromCharCode(0x52, 0x65, 0x6e, 0xe9, 0x65) + ",orchid"; // "Renée,orchid" in windows-1252
    const r = mapFileData(`data:application/vnd.ms-excel;base64,${btoa(cp1252)}`, shout);
    expect(r.kind === "text" && decode(r.value.slice(r.value.indexOf(",") + 1))).toBe("Renée,<X_1>");
    const utf16 = "\xff\xfe" + [..."orchid"].map((c) => `${c}\x00`).join("");
    expect(mapFileData(btoa(utf16), shout).kind).toBe("text");
    const log = mapFileData(base64Utf8("\x1b[31mERROR\x1b[0m orchid"), shout);
    expect(log.kind === "text" && decode(log.value)).toBe("\x1b[31mERROR\x1b[0m <X_1>");
    expect(mapDataUrl(`data:text/plain,${encodeURIComponent("\x1b[1mbold\x1b[0m")}`, shout).kind).toBe("text"); // escape is text
  });

  it("an untyped payload is judged by its bytes: an image sent as data:;base64 stays opaque, text is read", () => {
    expect(mapDataUrl("data:;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk", shout).kind).toBe("opaque");
    expect(textOf(mapDataUrl(`data:;base64,${base64Utf8("orchid")}`, shout))).toBe("<X_1>");
    expect(textOf(mapDataUrl(`data:text/plain;base64,${base64Utf8("orchid")}#frag`, shout))).toBe("<X_1>");
  });

  it("markup: numeric character references are read, and placeholders are written escaped", () => {
    const svg = `<svg><text>orch&#105;d &amp; &#60;b&#62; orchid&commat;x</text></svg>`;
    const r = mapDataUrl(`data:image/svg+xml,${encodeURIComponent(svg)}`, shout);
    expect(textOf(r)).toBe("<svg><text>&lt;X_1&gt; &amp; &#60;b&#62; &lt;X_1&gt;@x</text></svg>");
    const untouched = `data:image/svg+xml,${encodeURIComponent("<svg><text>d&#97;isy</text></svg>")}`;
    expect(mapDataUrl(untouched, shout)).toEqual({ kind: "text", value: untouched });
  });

  it("payloadText gives the text a payload holds, for the context-window count", () => {
    expect(payloadText(`data:text/plain;base64,${base64Utf8("four words of text")}`, "image_url")).toBe("four words of text");
    expect(payloadText("data:image/png;base64,iVBORw0KGgo=", "image_url")).toBeNull();
    expect(payloadText(base64Utf8("a,b\n1,2"), "file_data")).toBe("a,b\n1,2");
    expect(payloadText("https://img.example.com/a.png", "image_url")).toBeNull();
  });

  it("property: a payload the map leaves alone comes back byte for byte; a mapped one decodes to the mapped text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), fc.boolean(), fc.boolean(), (text, base64, withOrchid) => {
        const body = withOrchid ? `${text} orchid ${text}` : text.replace(/orchid/g, "");
        const url = base64 ? `data:text/markdown;base64,${base64Utf8(body)}` : `data:text/markdown,${encodeURIComponent(body)}`;
        const r = mapDataUrl(url, shout);
        // Control characters other than whitespace make text unreadable: not what this property is about.
        if (/[\x00-\x08\x0b\x0e-\x1f]/.test(body)) return;
        if (!withOrchid) expect(r).toEqual({ kind: "text", value: url });
        expect(textOf(r)).toBe(shout(body));
      }),
      { numRuns: 300, seed: 31 },
    );
  });
});
