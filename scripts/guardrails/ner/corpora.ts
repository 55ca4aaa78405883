/**
 * Readers for the shared NER sets (../shared/data/ner; read at training time, never copied into
 * the repository): CoNLL files (IOB1 or IOB2, tag in the last column) and usaddress's labelled
 * XML. Tokens are re-joined with single spaces so the tagger's own tokenizer sees real text.
 */
import { readFileSync } from "node:fs";
import type { TaggedType } from "../../../workers/gateway/src/guardrails/pii/tagger/decode";
import { ExampleBuilder, type Example } from "./example";

// WNUT's "group" (bands, teams, agencies) and "corporation" are organisations; products,
// creative works and CoNLL's MISC are not entities we redact.
const TYPE_OF: Record<string, TaggedType> = {
  PER: "PERSON", person: "PERSON",
  LOC: "LOCATION", location: "LOCATION",
  ORG: "ORGANIZATION", corporation: "ORGANIZATION", group: "ORGANIZATION",
};

/**
 * SEC filings and Wikipedia tag defined-term references ("the bank", "the company") as entities;
 * a single all-lower-case token there is a common noun, not a name. (Social-media sets keep
 * their lower-case names: people do write "john" there.)
 */
const LOWER_IS_NOUN = /^(?:sec-filings|wikigold)/;

function sentenceToExample(rows: Array<[string, string]>, source: string): Example {
  const b = new ExampleBuilder();
  let i = 0;
  while (i < rows.length) {
    const [tok, tag] = rows[i] as [string, string];
    const type = tag === "O" ? undefined : TYPE_OF[tag.slice(2)];
    if (i > 0) b.add(" ");
    if (!type) {
      b.add(tok);
      i++;
      continue;
    }
    // The entity runs while the next tag is I- of the same raw type (B- always starts anew).
    const parts = [tok];
    let j = i + 1;
    while (j < rows.length && (rows[j] as [string, string])[1] === `I-${tag.slice(2)}`) parts.push((rows[j] as [string, string])[0]), j++;
    const noun = LOWER_IS_NOUN.test(source) && parts.length === 1 && parts[0] === parts[0]?.toLowerCase();
    b.add(parts.join(" "), noun ? null : type);
    i = j;
  }
  return b.build(source);
}

export function readConll(path: string, source: string): Example[] {
  const out: Example[] = [];
  let rows: Array<[string, string]> = [];
  const flush = (): void => {
    if (rows.length > 0) out.push(sentenceToExample(rows, source));
    rows = [];
  };
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (line.trim() === "" || cols[0] === "-DOCSTART-") {
      flush();
      continue;
    }
    if (cols.length >= 2) rows.push([cols[0] as string, cols[cols.length - 1] as string]);
  }
  flush();
  return out;
}

const STREET_PARTS = /^(?:AddressNumber|StreetName|USPSBoxID|USPSBoxType|USPSBoxGroupID)$/;
const unescape = (s: string): string => s.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'");

/**
 * usaddress strings as bare addresses: the recipient line is cut off (it is a name, not part
 * of the address) and strings without a street or box (a bare "Chicago, IL") are skipped.
 */
export function readUsAddresses(path: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(path, "utf8").matchAll(/<AddressString>(.*?)<\/AddressString>/g)) {
    const parts = [...(m[1] as string).matchAll(/<(\w+)>(.*?)<\/\1>/g)].map((p) => [p[1] as string, unescape(p[2] as string)] as const);
    const body = parts.filter(([tag]) => tag !== "Recipient" && tag !== "NotAddress");
    if (!body.some(([tag]) => STREET_PARTS.test(tag))) continue;
    out.push(body.map(([, v]) => v).join(" ").replace(/[,;]$/, ""));
  }
  return out;
}
