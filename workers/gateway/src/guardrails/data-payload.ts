/**
 * Inline payloads in chat content: `data:` URLs (images, files) and `file_data`. A payload whose
 * media type is text (text/*, JSON, XML, CSV, YAML, SVG) is text an upstream model reads, so it
 * is decoded, passed to the same visitor as message text (redaction, invisible-character
 * stripping), and encoded again in its own form; one that does not change is returned as it came.
 * Anything else (PNG, JPEG, PDF, audio) is opaque bytes the gateway cannot read: the caller learns
 * its media type and decides (docs/guardrails.md, "Fields").
 */

/** Media types whose bytes are UTF-8 text a model reads as such. */
const TEXT_MEDIA = /^(?:text\/[\w.+-]+|image\/svg\+xml|application\/(?:json|xml|csv|yaml|x-yaml|x-ndjson|ndjson|jsonl|x-jsonlines|javascript|ecmascript|x-sh|sql|graphql|[\w.-]+\+(?:json|xml)))$/i;
/** For `file_data` sent as bare base64: the filename's extension stands in for a media type. */
const TEXT_EXTENSIONS = /\.(?:txt|text|md|markdown|csv|tsv|json|jsonl|ndjson|xml|html?|ya?ml|log|svg|ini|toml|sql|js|ts|py|sh|rtf)$/i;

export type PayloadResult = { kind: "text"; value: string } | { kind: "opaque"; mediaType: string };

interface DataUrl {
  /** Everything between "data:" and the comma, kept verbatim when re-encoding. */
  header: string;
  mediaType: string;
  base64: boolean;
  data: string;
}

function parseDataUrl(url: string): DataUrl | null {
  if (!url.startsWith("data:")) return null;
  const comma = url.indexOf(",");
  if (comma < 0) return null;
  const header = url.slice(5, comma);
  const params = header.split(";");
  const base64 = params.at(-1)?.toLowerCase() === "base64";
  // RFC 2397: an omitted media type is text/plain.
  const mediaType = (params[0] ?? "").trim().toLowerCase() || "text/plain";
  return { header, mediaType, base64, data: url.slice(comma + 1) };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeBase64Text(data: string): string | null {
  try {
    const binary = atob(data.replace(/\s+/g, ""));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return UTF8.decode(bytes);
  } catch {
    return null; // not base64, or not UTF-8: not text after all
  }
}

function encodeBase64Text(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function decodePercentText(data: string): string | null {
  try {
    return decodeURIComponent(data);
  } catch {
    return null;
  }
}

/** A text payload mapped, or the payload's media type when it is opaque (or unreadable as text). */
function mapEncoded(data: string, base64: boolean, mediaType: string, map: (text: string) => string, rebuild: (data: string) => string): PayloadResult {
  const text = base64 ? decodeBase64Text(data) : decodePercentText(data);
  if (text === null) return { kind: "opaque", mediaType };
  const mapped = map(text);
  if (mapped === text) return { kind: "text", value: rebuild(data) };
  return { kind: "text", value: rebuild(base64 ? encodeBase64Text(mapped) : encodeURIComponent(mapped)) };
}

/** A `data:` URL: its text mapped when its media type is text, else opaque. */
export function mapDataUrl(url: string, map: (text: string) => string): PayloadResult {
  const parsed = parseDataUrl(url);
  if (!parsed) return { kind: "opaque", mediaType: "application/octet-stream" };
  if (!TEXT_MEDIA.test(parsed.mediaType)) return { kind: "opaque", mediaType: parsed.mediaType };
  return mapEncoded(parsed.data, parsed.base64, parsed.mediaType, map, (data) => (data === parsed.data ? url : `data:${parsed.header},${data}`));
}

/** `file.file_data`: a data URL, or bare base64 whose filename says whether it is text. */
export function mapFileData(fileData: string, filename: string | undefined, map: (text: string) => string): PayloadResult {
  if (fileData.startsWith("data:")) return mapDataUrl(fileData, map);
  if (!filename || !TEXT_EXTENSIONS.test(filename)) return { kind: "opaque", mediaType: "application/octet-stream" };
  return mapEncoded(fileData, true, "text/plain", map, (data) => data);
}
