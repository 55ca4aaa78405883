/**
 * Inline payloads in chat content: `data:` URLs (images, files) and `file_data`. Text an
 * upstream model reads is decoded, passed to the visitor like message text (redaction,
 * invisible-character stripping) and encoded again; a payload the visitor leaves alone goes on
 * byte for byte. What counts as text is decided from the bytes as much as from the label, since
 * clients label files carelessly (a CSV as application/vnd.ms-excel, a note as
 * application/octet-stream):
 *
 * - declared text (text/*, JSON, XML, SVG, message/*, ...): decoded as WHATWG fetch decodes a
 *   data: URL (scheme in any case, parameters trimmed, percent-decoding before base64, base64url
 *   accepted). One that cannot be read as clean UTF-8 (another charset, bad escapes, NUL bytes)
 *   is `unreadable`: the caller refuses it while its policy acts, since it says it is text;
 * - every `file_data`, and data: URLs typed application/octet-stream or untyped: sniffed; clean
 *   UTF-8 is text, unless the bytes start like a binary format (PDF, ZIP, PNG ...: an
 *   uncompressed PDF is ASCII, and rewriting it would break its offsets);
 * - anything else (PNG, JPEG, PDF, audio): `opaque` bytes the gateway cannot read; the caller
 *   decides (guardrails.pii.opaqueInputs).
 *
 * JSON goes to the visitor's JSON mapper (escapes like \u0040 are decoded there); in markup
 * (SVG, HTML, XML) numeric character references are read as the characters they stand for, and
 * placeholders are written escaped, so the document stays well formed.
 */

export type PayloadFormat = "text" | "json";
/** Maps a payload's text; `json` when the payload is a JSON document. */
export type PayloadMapper = (text: string, format: PayloadFormat) => string;

export type PayloadResult = { kind: "text"; value: string } | { kind: "opaque"; mediaType: string } | { kind: "unreadable"; mediaType: string };

const TEXT_MEDIA = /^(?:text\/[\w.+-]+|image\/svg\+xml|message\/[\w.+-]+|application\/(?:json|xml|csv|yaml|x-yaml|x-ndjson|ndjson|jsonl|x-jsonlines|javascript|ecmascript|x-sh|sql|graphql|x-www-form-urlencoded|[\w.-]+\+(?:json|xml)))$/;
const JSON_MEDIA = /^application\/(?:json|[\w.-]+\+json)$/;
const MARKUP_MEDIA = /^(?:image\/svg\+xml|text\/html|text\/xml|application\/xml|application\/xhtml\+xml|application\/[\w.-]+\+xml)$/;
/** Labels that say nothing about the bytes: sniffed. */
const UNTYPED = /^(?:application\/octet-stream|binary\/octet-stream|)$/;
/** How binary formats that can be pure ASCII start (PDF, PostScript) and common archives/media. */
const BINARY_MAGIC = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x25, 0x21, 0x50, 0x53], // %!PS
  [0x50, 0x4b, 0x03, 0x04], // ZIP (docx, xlsx ...)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0xff, 0xd8, 0xff], // JPEG
  [0x52, 0x49, 0x46, 0x46], // RIFF (WAV, WebP)
];
const UTF8_LABELS = /^(?:utf-?8|us-ascii|ascii)$/;
/** Client-chosen labels can be long: at most this much is repeated in an error. */
const MAX_LABEL = 100;

interface DataUrl {
  /** Everything up to the comma, kept verbatim when re-encoding. */
  head: string;
  mediaType: string;
  base64: boolean;
  charset: string | null;
  data: string;
}

const DATA_SCHEME = /^[\t\n\f\r ]*data:/i;
/** Whether a URL is a data: URL, as WHATWG parses one (any case, leading whitespace). */
export const isDataUrl = (url: string): boolean => DATA_SCHEME.test(url);

function parseDataUrl(url: string): DataUrl | null {
  const scheme = DATA_SCHEME.exec(url);
  if (!scheme) return null;
  const comma = url.indexOf(",", scheme[0].length);
  if (comma < 0) return null;
  const params = url.slice(scheme[0].length, comma).split(";").map((p) => p.trim());
  const base64 = params.length > 1 && params.at(-1)?.toLowerCase() === "base64";
  const charset = params.slice(1).map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1]?.toLowerCase() ?? null).find((c) => c !== null) ?? null;
  return { head: url.slice(0, comma), mediaType: (params[0] ?? "").toLowerCase().slice(0, MAX_LABEL), base64, charset, data: url.slice(comma + 1) };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
/** Text a model reads as such: no C0 control but tab, newline, form feed and carriage return. */
const CLEAN = /^[^\x00-\x08\x0b\x0e-\x1f]*$/;

function utf8Text(bytes: Uint8Array): string | null {
  try {
    const text = UTF8.decode(bytes);
    return CLEAN.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** WHATWG percent-decode: %XX is a byte, anything else its UTF-8 bytes (a stray % stays a %). */
function percentBytes(s: string): Uint8Array {
  if (!s.includes("%")) return new TextEncoder().encode(s);
  const out: number[] = [];
  const parts = s.split("%");
  const enc = new TextEncoder();
  for (const b of enc.encode(parts[0] ?? "")) out.push(b);
  for (const part of parts.slice(1)) {
    const hex = /^[0-9A-Fa-f]{2}/.test(part);
    if (hex) out.push(parseInt(part.slice(0, 2), 16));
    else out.push(0x25);
    for (const b of enc.encode(hex ? part.slice(2) : part)) out.push(b);
  }
  return Uint8Array.from(out);
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/** Forgiving base64 (whitespace ignored, base64url accepted); null when it is not base64. */
function base64Bytes(text: string): Uint8Array | null {
  try {
    const bin = atob(text.replace(/[\t\n\f\r ]+/g, "").replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const encodeBase64Text = (text: string): string => btoa(latin1(new TextEncoder().encode(text)));

const startsLikeBinary = (bytes: Uint8Array): boolean => BINARY_MAGIC.some((magic) => magic.every((b, i) => bytes[i] === b));

/** The payload's bytes: percent-decoded, then base64-decoded when it says so. */
function payloadBytes(data: string, base64: boolean): Uint8Array | null {
  const raw = percentBytes(data);
  return base64 ? base64Bytes(latin1(raw)) : raw;
}

// Numeric character references to anything but markup's own characters (< > & " ') are read as
// their characters: "jane&#64;example.com" is an address to a model.
const NUMERIC_REF = /&#(?:x([0-9a-f]{1,6})|([0-9]{1,7}));/gi;
function decodeNumericRefs(markup: string): string {
  return markup.replace(NUMERIC_REF, (ref, hex: string | undefined, dec: string | undefined) => {
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 || "<>&\"'".includes(String.fromCodePoint(cp))) return ref;
    return String.fromCodePoint(cp);
  });
}
/** The gateway's placeholders (<EMAIL_ADDRESS_1>, <US_SSN:0a1b2c3d4e5f>) written as markup text. */
const PLACEHOLDER = /<([A-Z][A-Z_]*(?:_\d+|:[0-9a-f]{12}))>/g;

function mapText(text: string, mediaType: string, map: PayloadMapper): string | null {
  if (JSON_MEDIA.test(mediaType)) {
    const mapped = map(text, "json");
    let canonical = text;
    try {
      canonical = JSON.stringify(JSON.parse(text));
    } catch {
      // not JSON after all: mapped as text by the JSON mapper
    }
    return mapped === canonical ? null : mapped;
  }
  if (MARKUP_MEDIA.test(mediaType)) {
    const read = decodeNumericRefs(text);
    const mapped = map(read, "text");
    return mapped === read ? null : mapped.replace(PLACEHOLDER, (p) => (read.includes(p) ? p : `&lt;${p.slice(1, -1)}&gt;`));
  }
  const mapped = map(text, "text");
  return mapped === text ? null : mapped;
}

/**
 * Decodes, maps and re-encodes one payload. `declaredText`: the label says text, so failing to
 * read it is `unreadable`; otherwise failing is `opaque`.
 */
function mapPayload(data: string, base64: boolean, mediaType: string, declaredText: boolean, map: PayloadMapper, rebuild: (data: string) => string): PayloadResult {
  const fail = (): PayloadResult => (declaredText ? { kind: "unreadable", mediaType } : { kind: "opaque", mediaType });
  // A sniffed payload that starts like a binary format is known from its first bytes: a
  // multi-megabyte PDF is not decoded to find that out.
  if (!declaredText && base64 && startsLikeBinary(payloadBytes(data.trimStart().slice(0, 16), true) ?? new Uint8Array())) return fail();
  const bytes = payloadBytes(data, base64);
  if (bytes === null || (!declaredText && startsLikeBinary(bytes))) return fail();
  const text = utf8Text(bytes);
  if (text === null) return fail();
  const mapped = mapText(text, declaredText ? mediaType : "text/plain", map);
  if (mapped === null) return { kind: "text", value: rebuild(data) };
  if (base64) return { kind: "text", value: rebuild(encodeBase64Text(mapped)) };
  try {
    return { kind: "text", value: rebuild(encodeURIComponent(mapped)) };
  } catch {
    return { kind: "unreadable", mediaType }; // a lone surrogate cannot be percent-encoded
  }
}

/** A `data:` URL; `sniff`: read it as text when its bytes are clean UTF-8, whatever its label. */
export function mapDataUrl(url: string, map: PayloadMapper, sniff = false): PayloadResult {
  const p = parseDataUrl(url);
  if (!p) return { kind: "opaque", mediaType: "application/octet-stream" };
  // RFC 2397: an omitted media type is text/plain.
  const mediaType = p.mediaType || "text/plain";
  const declaredText = TEXT_MEDIA.test(mediaType);
  // A charset other than UTF-8 cannot be re-encoded as it came (UTF-16 text even reads as UTF-8 with NULs).
  if (p.charset !== null && !UTF8_LABELS.test(p.charset)) return declaredText ? { kind: "unreadable", mediaType } : { kind: "opaque", mediaType };
  if (!declaredText && !sniff && !UNTYPED.test(p.mediaType)) return { kind: "opaque", mediaType };
  return mapPayload(p.data, p.base64, mediaType, declaredText, map, (d) => (d === p.data ? url : `${p.head},${d}`));
}

/** `file.file_data`: a data URL or bare base64, sniffed whatever its label or filename says (clients set those loosely). */
export function mapFileData(fileData: string, map: PayloadMapper): PayloadResult {
  if (DATA_SCHEME.test(fileData)) return mapDataUrl(fileData, map, true);
  return mapPayload(fileData, true, "application/octet-stream", false, map, (d) => d);
}

/** The text a payload holds, for counting it against a context window (null when it is not text). */
export function payloadText(url: string, kind: "image_url" | "file_data"): string | null {
  let seen: string | null = null;
  const capture: PayloadMapper = (text) => {
    seen = text;
    return text;
  };
  if (kind === "file_data") mapFileData(url, capture);
  else if (DATA_SCHEME.test(url)) mapDataUrl(url, capture);
  return seen;
}
