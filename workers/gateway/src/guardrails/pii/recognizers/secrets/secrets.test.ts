import { describe, expect, it } from "vitest";
import { detectPii } from "../../detect";
import { redactChatRequest } from "../../../redact/redact-request";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../../../settings";
import type { PiiEntityType } from "../../../types";
import { testHashKey } from "../../../testing/hash-key";

/**
 * Table-driven: every credential shape the detector must catch, and prose and code it must
 * leave alone. Keys are assembled at run time from a fixed alphabet walk, so no string in this
 * file is a real credential (and secret scanners of this repo stay quiet).
 */
const ALNUM = "aB3dE5gH7jK9mN2pQ4sT6vW8yZ0cF1hL";
const fake = (n: number, alphabet = ALNUM): string => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join("");
const B32 = "abcdefghijklmnopqrstuvwxyz234567";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = `${ALNUM}+/`;

const SECRET_TYPES: ReadonlySet<PiiEntityType> = new Set(["API_KEY", "PRIVATE_KEY", "JWT", "SECRET"]);
const secrets = (text: string): Array<[PiiEntityType, string]> =>
  detectPii(text)
    .filter((f) => SECRET_TYPES.has(f.type))
    .map((f) => [f.type, f.text]);

const gwKey = `gw_local_${fake(12, B32)}_${fake(52, B32)}`;
const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwic2NvcGUiOiJhZG1pbiJ9.${fake(43)}`;

describe("secrets: vendor keys", () => {
  it.each<[string, string]>([
    ["gateway key (local)", gwKey],
    ["gateway key (prod)", `gw_prod_${fake(12, B32)}_${fake(52, B32)}`],
    ["OpenAI legacy", `sk-${fake(48)}`],
    ["OpenAI project", `sk-proj-${fake(64)}`],
    ["Anthropic", `sk-ant-api03-${fake(93)}`],
    ["AWS access key id", `AKIA${fake(16, UPPER)}`],
    ["AWS session key id", `ASIA${fake(16, UPPER)}`],
    ["GitHub classic", `ghp_${fake(36)}`],
    ["GitHub OAuth", `gho_${fake(36)}`],
    ["GitHub fine-grained", `github_pat_${fake(22)}_${fake(59)}`],
    ["Slack bot", `xoxb-2817465930-4419203857163-${fake(24)}`],
    ["Slack user", `xoxp-2817465930-4419203857163-${fake(32)}`],
    ["Stripe secret", `sk_live_${fake(24)}`],
    ["Stripe restricted", `rk_live_${fake(24)}`],
    ["Google API", `AIza${fake(35)}`],
    ["GitLab", `glpat-${fake(20)}`],
    ["Hugging Face", `hf_${fake(34)}`],
  ])("%s", (_, key) => {
    expect(secrets(`here is the key ${key} - why do I get a 401?`)).toEqual([["API_KEY", key]]);
  });
});

describe("secrets: tokens, keys and headers", () => {
  it("finds a JWT", () => expect(secrets(`session=${jwt}`)).toContainEqual(["JWT", jwt]));

  it("finds a private key block, and one pasted without its END line", () => {
    const body = `${fake(64, B64)}\n${fake(64, B64)}`;
    const full = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`;
    expect(secrets(`my key:\n${full}\nthanks`)).toEqual([["PRIVATE_KEY", full]]);
    const cut = `-----BEGIN RSA PRIVATE KEY-----\n${body}`;
    expect(secrets(`${cut}\n\nwhy does ssh reject it?`)).toEqual([["PRIVATE_KEY", cut]]);
  });

  it.each<[string, string, string]>([
    ["bearer header", `Authorization: Bearer ${fake(40)}`, fake(40)],
    ["basic header", "authorization: Basic dXNlcm5hbWU6c2VjcmV0cGFzcw==", "dXNlcm5hbWU6c2VjcmV0cGFzcw=="],
    ["curl -H", `curl -H "Authorization: Token ${fake(32)}" https://api.example.org/v2`, fake(32)],
    ["bare bearer", `the call sends Bearer ${fake(30)} and fails`, fake(30)],
    ["curl -u", "curl -u deploy:W1nd0w-Frost https://ci.example.org", "W1nd0w-Frost"],
  ])("finds the credential in a %s", (_, text, value) => expect(secrets(text)).toEqual([["SECRET", value]]));
});

describe("secrets: labelled values", () => {
  it.each<[string, string]>([
    ["pass: Gl4cier&Moss9", "Gl4cier&Moss9"],
    ["password: sunflower", "sunflower"],
    ["login pwd=Orchid_77x", "Orchid_77x"],
    ["DB_PASSWORD=Qw!7mTrail", "Qw!7mTrail"],
    ['{"client_secret": "3fZq-Lm8Wx-Pt2v"}', "3fZq-Lm8Wx-Pt2v"],
    ["secret = 'K7p#rLw2'", "K7p#rLw2"],
    ["https://api.example.org/v1/items?api_key=Zm81Kq02Lp&page=2", "Zm81Kq02Lp"],
    [`aws_secret_access_key = ${fake(40, B64)}`, fake(40, B64)],
    ["psql --password Bl0ssom#Key", "Bl0ssom#Key"],
    ["my password is 'Lantern#88', keep it safe", "Lantern#88"],
    ["he logged in with password Quill7!tide.", "Quill7!tide"],
    ["<password>M4rble*Steps</password>", "M4rble*Steps"],
    ["пароль: Север2024!", "Север2024!"],
    ["X-Api-Key: 9c2Lw8Pq1Zt6", "9c2Lw8Pq1Zt6"],
  ])("finds %s", (text, value) => expect(secrets(text)).toEqual([["SECRET", value]]));
});

describe("secrets: passwords in connection URLs", () => {
  it.each<[string, string]>([
    ["postgres://app:Ev3ning_tide@db.internal:5432/app", "Ev3ning_tide"],
    ["DATABASE_URL=postgresql://svc_user:r9Kx2mQp@10.0.4.12/orders?sslmode=require", "r9Kx2mQp"],
    ["mongodb+srv://admin:Pa55-Harbor@cluster0.example.net/test", "Pa55-Harbor"],
    ["redis://:Wq8Lmz3Vt@cache.internal:6379/0", "Wq8Lmz3Vt"],
    ["clone https://bot:Tk4Lq9Zr2@git.example.org/repo.git", "Tk4Lq9Zr2"],
  ])("redacts only the password of %s", (text, value) => {
    const found = detectPii(text).filter((f) => f.type !== "URL" && f.type !== "IP_ADDRESS");
    expect(found.map((f) => [f.type, f.text])).toEqual([["SECRET", value]]);
  });
});

describe("secrets: no false positives", () => {
  it.each([
    "I forgot my password again, can you help me reset it?",
    "Open the password manager and pick a strong passphrase.",
    "Your password must be at least 12 characters long.",
    "The password policy: 12 characters minimum.",
    "password123 is a terrible choice.",
    "The token limit is 4096 and max_tokens: 2048 by default.",
    "How do bearer bonds work?",
    "Authorization: required for admin endpoints.",
    "The secretary handed the memo to the tokenizer team; the secret is patience.",
    "Install scikit-learn with pip; sk-learn-style-module-names-are-long.",
    "git push -u origin main",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "request id 123e4567-e89b-12d3-a456-426614174000 failed",
    "see src/components/navigation/header-menu-item-2024/index.ts",
    'password = request.form["password"]',
    "const token = await getToken(user);",
    'if (password.length < 8) throw new Error("too short");',
    'api_key = os.environ["OPENAI_API_KEY"]',
    "def check_password(password: str) -> bool:",
    "password_hash = bcrypt.hashpw(password, salt)",
    "self.secret = new_secret",
    '{"password": {"type": "string", "minLength": 8}}',
    "DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost/app",
    "postgres://user:password@localhost:5432/db",
    "Authorization: Bearer $TOKEN",
    'curl -H "Authorization: Bearer YOUR_API_KEY" https://api.example.org',
    "Set the `token` option to `auto` in the config.",
  ])("leaves alone: %s", (text) => expect(secrets(text)).toEqual([]));
});

describe("secrets: a chat request", () => {
  it("sends no gateway key, bearer token or database password upstream (default policy)", () => {
    const token = fake(40);
    const content = `My key ${gwKey} fails. I ran curl -H "Authorization: Bearer ${token}" and my DSN is postgres://app:Ev3ning_tide@db.internal/app; pass: Gl4cier&Moss9`;
    const { request } = redactChatRequest({ model: "m", messages: [{ role: "user", content }] }, DEFAULT_GUARDRAIL_SETTINGS, testHashKey("salt"));
    const sent = JSON.stringify(request);
    for (const secret of [gwKey, token, "Ev3ning_tide", "Gl4cier&Moss9"]) expect(sent).not.toContain(secret);
    expect(sent).toContain("postgres://app:<SECRET_");
  });
});
