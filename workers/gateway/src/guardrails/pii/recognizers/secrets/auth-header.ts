import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";
import { isPlaceholder } from "./placeholders";

/**
 * Credentials in HTTP auth as people paste it: header lines from curl commands, logs and
 * Postman exports (RFC 9110 §11: `Authorization: <scheme> <credentials>`), a bare
 * `Bearer <token>`, basic-auth on the curl command line, and cookie headers (session ids are
 * bearer credentials too). Only the credential is reported, so the redacted line still reads
 * `Authorization: Bearer <SECRET_1>`.
 */
const AUTH_HEADER = /\b(?:Proxy-)?Authorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token|Bot|Digest|ApiKey|Api-Key|SSWS|Splunk|AWS4-HMAC-SHA256|DPoP|MAC|Negotiate|NTLM)\s+)?([^\s"'`]{8,4096})/gi;
// Outside a header line the scheme word must be "Bearer" and the token must look like one:
// "the bearer of bad news" has no 16-character token with a digit after it.
const BARE_BEARER = /\bBearer\s+((?=[A-Za-z._~+/-]{0,200}\d)[A-Za-z0-9._~+/-]{16,4096}=*)/g;
const CURL_USER = /(?:^|\s)(?:-u|--user|--proxy-user)\s*["']?[^\s:"']{1,128}:([^\s"']{3,256})/g;
const COOKIE = /\b(?:Set-)?Cookie\s*:\s*([^\n\r"']{8,4096})/gi;
const SCHEME_WORD = /^(?:Bearer|Basic|Token|Bot|Digest|ApiKey|Api-Key|Negotiate|NTLM|header|headers)$/i;

/** Tokens have digits, punctuation or inner capitals; "Authorization: permission granted" has none. */
const looksLikeToken = (v: string): boolean => /\d|[._~+/=-]|.[A-Z]/.test(v) && !SCHEME_WORD.test(v) && !isPlaceholder(v);

export const authHeaderRecognizer: Recognizer = {
  name: "auth-header",
  types: ["SECRET"],
  find(text) {
    const out: RawFinding[] = [];
    const push = (m: RegExpExecArray, score: number): void => {
      const value = (m[1] ?? "").replace(/[.,;)\]]+$/, "");
      if (value.length === 0 || !looksLikeToken(value)) return;
      const start = m.index + m[0].length - (m[1] ?? "").length;
      out.push({ type: "SECRET", start, end: start + value.length, score });
    };
    if (/authorization/i.test(text)) for (const m of matches(AUTH_HEADER, text)) push(m, 0.95);
    if (text.includes("Bearer")) for (const m of matches(BARE_BEARER, text)) push(m, 0.9);
    if (text.includes("-u") || text.includes("--user") || text.includes("--proxy-user")) for (const m of matches(CURL_USER, text)) push(m, 0.9);
    if (/cookie\s*:/i.test(text)) for (const m of matches(COOKIE, text)) push(m, 0.7);
    return out;
  },
};
