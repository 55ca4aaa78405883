import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";

/**
 * Credential formats with a fixed, documented prefix (the rule families of gitleaks and
 * secretlint, plus the gateway's own keys). A prefix makes a match near-certain, so these score
 * 1.0 and need no label. Formats without a prefix (Cloudflare, Mistral, Cohere tokens) are left
 * to the labelled and high-entropy recognizers.
 *
 * Why not secretlint's rule packages: they are written for files (rules are async, one bundles a
 * dynamic `node:fs` import and lodash), and several patterns require markers only some real keys
 * carry (OpenAI's `T3BlbkFJ`), which is right for a repo linter but too narrow for pasted text.
 */
export const VENDOR_KEYS: ReadonlyArray<{ id: string; pattern: string }> = [
  // Our own keys (auth/keys.ts): gw_<env>_<12 base32 prefix>_<52 base32 secret>. A truncated
  // secret still counts: half a key is still half the entropy an attacker needs.
  { id: "gateway", pattern: String.raw`\bgw_[a-z0-9]{1,16}_[a-z2-7]{12}_[a-z2-7]{16,64}\b` },
  // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-), Anthropic (sk-ant-api03-), OpenRouter (sk-or-v1-);
  // the digit look-ahead keeps long hyphenated words ("sk-learn-style-...") out.
  { id: "openai-anthropic", pattern: String.raw`\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-|or-v1-)?(?=[A-Za-z0-9_-]{0,200}\d)[A-Za-z0-9_-]{20,}` },
  { id: "aws-access-key-id", pattern: String.raw`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b` },
  { id: "github", pattern: String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b` },
  { id: "gitlab", pattern: String.raw`\bgl(?:pat|dt|ptt|rt|soat|ft|imt|cbt)-[A-Za-z0-9_-]{20,}` },
  { id: "slack", pattern: String.raw`\bxox[abposre]-(?:\d+-)*[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}|\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_\/-]{20,}` },
  { id: "stripe", pattern: String.raw`\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,}` },
  { id: "google", pattern: String.raw`\bAIza[0-9A-Za-z_-]{35}\b|\bya29\.[0-9A-Za-z_-]{20,}|\bGOCSPX-[A-Za-z0-9_-]{20,}|\b1\/\/0[A-Za-z0-9_-]{30,}` },
  { id: "huggingface", pattern: String.raw`\bhf_[A-Za-z0-9]{30,}\b|\bapi_org_[A-Za-z0-9]{30,}\b` },
  { id: "sendgrid", pattern: String.raw`\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}` },
  { id: "npm-pypi", pattern: String.raw`\bnpm_[A-Za-z0-9]{36}\b|\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}` },
  { id: "twilio-mailgun", pattern: String.raw`\bSK[0-9a-fA-F]{32}\b|\bkey-[0-9a-f]{32}\b` },
  { id: "llm-providers", pattern: String.raw`\b(?:gsk|r8)_[A-Za-z0-9]{30,}|\b(?:xai|pplx)-[A-Za-z0-9]{40,}` },
  { id: "databricks-linear-notion", pattern: String.raw`\bdapi[0-9a-f]{32}(?:-\d)?\b|\blin_api_[A-Za-z0-9]{40}\b|\bntn_[A-Za-z0-9]{40,}\b|\bsecret_[A-Za-z0-9]{43}\b` },
  { id: "shopify-digitalocean", pattern: String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b|\bdo[por]_v1_[a-f0-9]{64}\b` },
  { id: "vault-terraform-doppler", pattern: String.raw`\bhv[sbr]\.[A-Za-z0-9_-]{24,}|\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}|\bdp\.(?:st|ct|sa|scim|audit)\.[A-Za-z0-9_-]{40,}` },
  { id: "atlassian-postman-supabase", pattern: String.raw`\bATATT3[A-Za-z0-9_=-]{100,}|\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b|\bsbp_[a-f0-9]{40}\b` },
  { id: "sentry-grafana-docker-figma", pattern: String.raw`\bsntr[ysu]_[A-Za-z0-9+\/=_-]{40,}|\bgl(?:sa|c)_[A-Za-z0-9+\/=_-]{32,}|\bdckr_pat_[A-Za-z0-9_-]{27,}|\bfigd_[A-Za-z0-9_-]{40,}` },
  { id: "telegram-discord", pattern: String.raw`\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b|\b[MN][A-Za-z0-9]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b` },
  { id: "square-mapbox-age", pattern: String.raw`\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}\b|\bsk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,}|\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b` },
  { id: "1password-heroku-alibaba", pattern: String.raw`\bops_eyJ[A-Za-z0-9+\/=_-]{100,}|\bHRKU-[A-Za-z0-9_-]{60}\b|\bLTAI[A-Za-z0-9]{12,20}\b` },
];

// One alternation: a single pass over the text instead of one regex scan per vendor.
const ANY_KEY = new RegExp(VENDOR_KEYS.map((k) => `(?:${k.pattern})`).join("|"), "g");

export const vendorKeysRecognizer: Recognizer = {
  name: "vendor-keys",
  types: ["API_KEY"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(ANY_KEY, text)) out.push({ type: "API_KEY", start: m.index, end: m.index + m[0].length, score: 1 });
    return out;
  },
};
