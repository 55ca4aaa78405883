import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";
import { isPlaceholder } from "./placeholders";

/**
 * The value after a credential label, in the shapes people paste: prose ("my password is
 * 'Hunter2!'", "with password Qr7!dke#39"), config and env files (`DB_PASSWORD=…`,
 * `api_key: …`), JSON (`"client_secret": "…"`), CLI flags (`--password …`), query strings
 * (`?api_key=…&`) and XML (`<password>…</password>`), in several languages.
 *
 * The label must be the LAST part of an identifier (`aws_secret_access_key`, `userPassword`),
 * so `password_hash`, `secretName`, `tokenizer` and `max_tokens` are not labels. Values that
 * are code (`request.form["password"]`, `getpass()`, `new_password`) or template slots
 * (`${DB_PASS}`, `<your-key>`) are not secrets.
 */
const KEYWORD =
  /(?:pass(?:words?|wd|code|phrase)?|pwd|secrets?|tokens?|credentials?|api[_-]?key|apikey|(?:access|secret|private|auth|account|signing|master|encryption|session|client|app|shared[_-]?access)[_ -]?key|kennwort|passwort|mot de passe|contraseña|contrasena|senha|пароль|密码|密碼|パスワード|비밀번호|كلمة (?:المرور|السر)|पासवर्ड)/giu;

/** Labels whose values are chosen by people: plain words count. Keys and tokens are machine-made. */
const HUMAN_CHOSEN = /^(?:passwords?|passwd|pwd|passcode|passphrase|kennwort|passwort|mot de passe|contraseña|contrasena|senha|пароль|密码|密碼|パスワード|비밀번호|كلمة المرور|كلمة السر|पासवर्ड)$/iu;

// Assignment (`:`, `=`, `:=`, `=>`, `==`, full-width colon), a copula, or (for --flags and
// human phrasing) plain whitespace. Group 1 = assignment, group 2 = copula.
// A closing quote (`"api_key": …`) may only be followed by an assignment.
const SEPARATOR = /^(?:["'`\]]?[ \t]{0,3}(:=|=>|==|[:=：])|[ \t]+(is|was|ist|war|est|es|é|era|это)[ \t]+|(?=[ \t]))[ \t]{0,3}/iu;

const XML_ELEMENT = /<((?:[\w-]+:)?[\w-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key))>([^<>\s]{4,256})<\/\1>/gi;

const CODE_CHAIN = /^[A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)+(?:\(|\[|$)/;
const CALL = /^[A-Za-z_$][\w$.]*\(/;
const IDENTIFIER = /^(?:[a-z]+(?:_[a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+|[A-Z]+(?:_[A-Z]+)+)$/;

function labelAt(text: string, m: RegExpExecArray): boolean {
  const prev = text[m.index - 1] ?? " ";
  const first = m[0][0] ?? "";
  // "bypass", "compass" and "surpass" are not labels; "dbPassword" (camelCase) is.
  if (/\p{L}/u.test(prev) && /[A-Za-z]/.test(first)) return /[a-z]/.test(prev) && /[A-Z]/.test(first);
  return true;
}

/** Quoted value, or the unquoted run up to whitespace/quote/comma/semicolon (and `&next=` in query strings). */
function valueAt(text: string, from: number): { start: number; value: string; quoted: boolean } | null {
  const q = text[from];
  if (q === '"' || q === "'" || q === "`") {
    const close = text.indexOf(q, from + 1);
    if (close < 0 || close - from > 257 || text.slice(from + 1, close).includes("\n")) return null;
    return { start: from + 1, value: text.slice(from + 1, close), quoted: true };
  }
  const run = /^(?:[^\s'"`,;&]|&(?![\w.-]+=))+/.exec(text.slice(from, from + 257))?.[0] ?? "";
  const value = run.replace(/[.:)\]}>]+$/, "");
  return value ? { start: from, value, quoted: false } : null;
}

function acceptable(value: string, label: string, quoted: boolean, separator: "assign" | "copula" | "space", flag: boolean): boolean {
  if (value.length < (quoted ? 4 : 6) || value.length > 256 || isPlaceholder(value)) return false;
  if (/^[[{(!]/.test(value) || value.includes("://") || CODE_CHAIN.test(value) || CALL.test(value) || IDENTIFIER.test(value)) return false;
  const human = HUMAN_CHOSEN.test(label);
  const plainWord = /^\p{L}+$/u.test(value);
  if (!human) return !plainWord && (/\d/.test(value) || /[^\p{L}\d]/u.test(value) || /.\p{Lu}/u.test(value));
  // A plain word after "password" counts only as an assignment ("password: sunflower"),
  // never in prose ("password manager", "the password was compromised").
  if (plainWord) return separator === "assign" || quoted || flag;
  return separator !== "space" || quoted || flag || /[\d\p{P}\p{S}]/u.test(value);
}

export const labelledSecretRecognizer: Recognizer = {
  name: "labelled-secret",
  types: ["SECRET"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(KEYWORD, text)) {
      if (!labelAt(text, m)) continue;
      const after = m.index + m[0].length;
      // "password_hash", "PasswordPolicy", "token-count", "passwords2": the label goes on.
      if (/^[\p{L}\d_-]/u.test(text[after] ?? "")) continue;
      const sep = SEPARATOR.exec(text.slice(after, after + 24));
      if (!sep) continue;
      const flag = text.slice(Math.max(0, m.index - 12), m.index).search(/--?[\w-]*$/) >= 0;
      const separator = sep[1] ? "assign" : sep[2] ? "copula" : "space";
      const v = valueAt(text, after + sep[0].length);
      if (!v || !acceptable(v.value, m[0].toLowerCase(), v.quoted, separator, flag)) continue;
      out.push({ type: "SECRET", start: v.start, end: v.start + v.value.length, score: v.quoted || separator === "assign" ? 0.85 : 0.8 });
    }
    for (const m of matches(XML_ELEMENT, text)) {
      const value = m[2] ?? "";
      if (isPlaceholder(value)) continue;
      const start = m.index + m[0].indexOf(">") + 1;
      out.push({ type: "SECRET", start, end: start + value.length, score: 0.85 });
    }
    return out;
  },
};
