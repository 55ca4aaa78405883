import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

// State formats vary (1-2 letters + 4-14 digits, dashed groups, all digits); what they share
// is being labelled, so the label is required and the shape only needs digits.
const CANDIDATE = /(?<![\w-])(?=[A-Z0-9-]*\d)[A-Z0-9]{1,14}(?:-[A-Z0-9]{2,8}){0,4}(?![\w-])/g;
const CONTEXT = /\b(?:driver'?s?|driver’s|driving|licen[cs]e|DL|DLN|führerschein|permis)\b[^.\n;]{0,30}$/i;

const ANY_LABEL = /\b(?:driver|driving|licen[cs]e|DLN?|führerschein|permis)/i;

export const usDriverLicenseRecognizer: Recognizer = {
  name: "us-driver-license",
  types: ["US_DRIVER_LICENSE"],
  find(text) {
    const out: RawFinding[] = [];
    // One pass for the label over the whole text before any per-candidate work.
    if (!ANY_LABEL.test(text)) return out;
    for (const m of matches(CANDIDATE, text)) {
      const value = m[0];
      const digits = value.replace(/\D/g, "").length;
      if (digits < 5 || value.length < 6 || value.length > 24) continue;
      if (!precededBy(text, m.index, CONTEXT, 48)) continue;
      out.push({ type: "US_DRIVER_LICENSE", start: m.index, end: m.index + value.length, score: 0.85 });
    }
    return out;
  },
};
