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
 * - every `file_data`, and data: URLs typed application/octet-stream or untyped: sniffed; bytes
 *   without binary control bytes are text (UTF-8, else UTF-16 with a BOM or a Windows code
 *   page), unless they start like a binary format (PDF, ZIP, PNG ...: an uncompressed PDF is
 *   ASCII, and rewriting it would break its offsets);
 * - anything else (PNG, JPEG, PDF, audio): `opaque` bytes the gateway cannot read; the caller
 *   decides (guardrails.pii.opaqueInputs).
 *
 * JSON is read with its escapes decoded (\u0040 is an @), markup (SVG, HTML, XML) with its
 * character references read and placeholders written escaped, so the document stays well
 * formed; a sniffed payload is read as JSON or markup by how it starts. A file that is not
 * UTF-8 but is still text (UTF-16 with a BOM, a Windows code page) is read and, if it changes,
 * sent on as UTF-8.
 */

/**
 * Maps a payload's text (as the visitor maps message text). `raw`: hand over the text as sent,
 * escapes and references undecoded (payloadText's count for the context window).
 */
export type PayloadMapper = ((text: string) => string) & { raw?: true };

export type PayloadResult = { kind: "text"; value: string } | { kind: "opaque"; mediaType: string } | { kind: "unreadable"; mediaType: string };

const TEXT_MEDIA = /^(?:text\/[\w.+-]+|image\/svg\+xml|message\/[\w.+-]+|application\/(?:json|xml|csv|yaml|x-yaml|x-ndjson|ndjson|jsonl|x-jsonlines|javascript|ecmascript|x-sh|sql|graphql|x-www-form-urlencoded|[\w.-]+\+(?:json|xml)))$/;
const JSON_MEDIA = /^application\/(?:json|[\w.-]+\+json|x-ndjson|ndjson|jsonl|x-jsonlines)$/;
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
  // A fragment is not data (WHATWG drops it before decoding), but a raw "#" in percent-mode text
  // ("Ticket #42") is data to many parsers: there it is read, and written back as %23. In base64
  // it cannot be data: dropped, and not forwarded (a non-WHATWG upstream would read it unchecked).
  const hash = base64 ? url.indexOf("#", comma + 1) : -1;
  const charset = params.slice(1).map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1]?.toLowerCase() ?? null).find((c) => c !== null) ?? null;
  return { head: url.slice(0, comma), mediaType: (params[0] ?? "").toLowerCase().slice(0, MAX_LABEL), base64, charset, data: url.slice(comma + 1, hash < 0 ? undefined : hash) };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
/** Text as WHATWG sniffs it: no "binary data byte" (C0 controls but tab, newline, form feed, carriage return and escape). */
const CLEAN = /^[^\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]*$/;
const isBinaryByte = (b: number): boolean => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);
const CP1252 = new TextDecoder("windows-1252", { fatal: false, ignoreBOM: false });
const UTF8_LOSSY = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });
/** A well-formed multi-byte UTF-8 sequence, as latin1 characters. */
const UTF8_SEQUENCE = /[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}/;

/**
 * A sniffed file that is not UTF-8 but still text: UTF-16 with a byte-order mark (Notepad's
 * "Unicode") or, without binary bytes, a single-byte Windows code page (Excel's CSV with an
 * "é"). Read so it can be checked; when it changes it is sent on as UTF-8.
 */
function legacyText(bytes: Uint8Array): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    try {
      const text = new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be", { fatal: true, ignoreBOM: false }).decode(bytes);
      return CLEAN.test(text) ? text : null;
    } catch {
      return null;
    }
  }
  if (bytes.some(isBinaryByte)) return null;
  // Mostly UTF-8 with a stray byte (a smart quote pasted from Word): read as UTF-8, the stray
  // byte as U+FFFD, not the whole file as a code page (names would read "JosÃ©" and go unseen).
  return UTF8_SEQUENCE.test(latin1(bytes.subarray(0, 1 << 20))) ? UTF8_LOSSY.decode(bytes) : CP1252.decode(bytes);
}

function utf8Text(bytes: Uint8Array): string | null {
  try {
    const text = UTF8.decode(bytes);
    return CLEAN.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** WHATWG percent-decode in one pass: %XX is a byte, anything else its UTF-8 bytes (a stray % stays a %). */
function percentBytes(s: string): Uint8Array {
  const src = new TextEncoder().encode(s);
  if (!s.includes("%")) return src;
  const hex = (b: number): number => (b >= 0x30 && b <= 0x39 ? b - 0x30 : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66 ? (b | 0x20) - 0x57 : -1);
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    if (b === 0x25 && i + 2 < src.length) {
      const hi = hex(src[i + 1] as number);
      const lo = hex(src[i + 2] as number);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
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

// Character references to anything but markup's own characters (< > & " ') are read as their
// characters: "jane&#64;example.com" or "jane&commat;example.com" is an address to a model.
const NUMERIC_REF = /&#(?:x([0-9a-f]{1,6})|([0-9]{1,7}));/gi;
/** Named references that stand for characters of identifiers (not the full HTML table: letters like &eacute; are left). */
const NAMED_REFS: Readonly<Record<string, string>> = {
  commat: "@", period: ".", hyphen: "-", dash: "-", lowbar: "_", nbsp: " ", num: "#", plus: "+", lpar: "(", rpar: ")", colon: ":", comma: ",", sol: "/", bsol: "\\",
};
const NAMED_REF = /&([a-z]+);/gi;
function decodeCharRefs(markup: string): string {
  return markup
    .replace(NUMERIC_REF, (ref, hex: string | undefined, dec: string | undefined) => {
      const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 || "<>&\"'".includes(String.fromCodePoint(cp))) return ref;
      return String.fromCodePoint(cp);
    })
    .replace(NAMED_REF, (ref, name: string) => NAMED_REFS[name] ?? ref);
}
/** The gateway's placeholders (<EMAIL_ADDRESS_1>, <US_SSN:0a1b2c3d4e5f>) written as markup text. */
const PLACEHOLDER = /<([A-Z][A-Z_]*(?:_\d+|:[0-9a-f]{12}))>/g;

// JSON string escapes of printable characters (\u0040, \/) are read as the characters; those
// JSON needs escaped (quote, backslash, controls) stay escaped, so the document stays JSON.
const JSON_ESCAPE = /\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\\//g;
function decodeJsonEscapes(json: string): string {
  return json.replace(JSON_ESCAPE, (esc, hi: string | undefined, lo: string | undefined, hex: string | undefined) => {
    if (esc === "\\\\") return esc;
    if (hi !== undefined && lo !== undefined) return String.fromCharCode(parseInt(hi, 16), parseInt(lo, 16));
    if (hex === undefined) return "/";
    const cp = parseInt(hex, 16);
    return cp < 0x20 || cp === 0x22 || cp === 0x5c || (cp >= 0xd800 && cp <= 0xdfff) ? esc : String.fromCharCode(cp);
  });
}

// A number the detectors replaced ("phone": 4155550123) becomes a bare placeholder; quoted, the
// document stays JSON. Only where a value stands (after : [ or , and before , ] or }), and only
// when that makes the document (or each JSON line) parse again.
const BARE_PLACEHOLDER = /([:[,]\s*)(<[A-Z][A-Z_]*(?:_\d+|:[0-9a-f]{12})>)(?=\s*[,\]}])/g;
const parses = (s: string): boolean => { try { JSON.parse(s); return true; } catch { return false; } };
function quoteBarePlaceholders(json: string): string {
  if (json.search(BARE_PLACEHOLDER) < 0) return json;
  const fix = (doc: string): string => { if (parses(doc)) return doc; const q = doc.replace(BARE_PLACEHOLDER, '$1"$2"'); return parses(q) ? q : doc; };
  return parses(json.replace(BARE_PLACEHOLDER, '$1"$2"')) || !json.includes("\n") ? fix(json) : json.split("\n").map(fix).join("\n");
}

/**
 * JSON is mapped as one text with its escapes read: keys, duplicate keys, JSON lines and any
 * depth are all seen, in one pass of the detectors, and what is not rewritten (formatting, big
 * numbers) stays as it was. A number replaced by a placeholder leaves the document less than
 * JSON: a model still reads it, and nothing leaks.
 */
function mapText(text: string, format: "json" | "markup" | "text", map: PayloadMapper): string | null {
  if (format === "json") {
    const read = decodeJsonEscapes(text);
    const mapped = map(read);
    return mapped === read ? null : quoteBarePlaceholders(mapped);
  }
  if (format === "markup") {
    const read = decodeCharRefs(text);
    const mapped = map(read);
    return mapped === read ? null : mapped.replace(PLACEHOLDER, (p) => (read.includes(p) ? p : `&lt;${p.slice(1, -1)}&gt;`));
  }
  const mapped = map(text);
  return mapped === text ? null : mapped;
}

/** How a payload's text is read: by its label when it has one, else by how it starts. */
function formatOf(text: string, mediaType: string | null): "json" | "markup" | "text" {
  if (mediaType !== null) return JSON_MEDIA.test(mediaType) ? "json" : MARKUP_MEDIA.test(mediaType) ? "markup" : "text";
  const head = text.trimStart()[0];
  return head === "{" || head === "[" ? "json" : head === "<" ? "markup" : "text";
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
  const text = utf8Text(bytes) ?? (declaredText ? null : legacyText(bytes));
  if (text === null) return fail();
  const mapped = mapText(text, map.raw ? "text" : formatOf(text, declaredText ? mediaType : null), map);
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
  // RFC 2397 reads an omitted media type as text/plain, but clients omit it on images too
  // ("data:;base64,iVBOR..."): an untyped payload is judged by its bytes.
  const mediaType = p.mediaType || "text/plain";
  const declaredText = p.mediaType !== "" && TEXT_MEDIA.test(mediaType);
  // A charset other than UTF-8 cannot be re-encoded as it came (UTF-16 text even reads as UTF-8 with NULs).
  if (p.charset !== null && !UTF8_LABELS.test(p.charset) && declaredText) return { kind: "unreadable", mediaType };
  if (!declaredText && !sniff && !UNTYPED.test(p.mediaType)) return { kind: "opaque", mediaType };
  return mapPayload(p.data, p.base64, mediaType, declaredText, map, (d) => (d === p.data && url.length === p.head.length + 1 + d.length ? url : `${p.head},${d}`));
}

/** `file.file_data`: a data URL or bare base64, sniffed whatever its label or filename says (clients set those loosely). */
export function mapFileData(fileData: string, map: PayloadMapper): PayloadResult {
  if (DATA_SCHEME.test(fileData)) return mapDataUrl(fileData, map, true);
  return mapPayload(fileData, true, "application/octet-stream", false, map, (d) => d);
}

/** The text a payload holds, for counting it against a context window (null when it is not text). */
export function payloadText(url: string, kind: "image_url" | "file_data"): string | null {
  let seen: string | null = null;
  // The text as the model reads it (escapes and references undecoded): what its window holds,
  // and never shorter than what the guardrails read after decoding.
  const capture: PayloadMapper = Object.assign((text: string) => {
    seen = text;
    return text;
  }, { raw: true as const });
  if (kind === "file_data") mapFileData(url, capture);
  else if (DATA_SCHEME.test(url)) mapDataUrl(url, capture);
  return seen;
}
