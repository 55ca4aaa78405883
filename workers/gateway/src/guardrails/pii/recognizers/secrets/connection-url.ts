import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";
import { isPlaceholder } from "./placeholders";

/**
 * The password in a URL's userinfo (RFC 3986 §3.2.1, deprecated but everywhere in database
 * URLs): `postgres://app:<password>@db:5432/x`. Only the password is reported, so the redacted
 * URL still tells the model the scheme, user and host it may need to answer.
 */
const USERINFO = /\b[a-z][a-z0-9+.-]{1,30}:\/\/([^\s:@/?#"'<>]{0,128}):([^\s@/?#"'<>]{1,256})@(?=[A-Za-z0-9[\]_-])/gi;

export const connectionUrlRecognizer: Recognizer = {
  name: "connection-url",
  types: ["SECRET"],
  find(text) {
    if (!text.includes("://")) return [];
    const out: RawFinding[] = [];
    for (const m of matches(USERINFO, text)) {
      const pw = m[2] ?? "";
      if (isPlaceholder(pw)) continue;
      const start = m.index + m[0].length - pw.length - 1;
      out.push({ type: "SECRET", start, end: start + pw.length, score: 1 });
    }
    return out;
  },
};
