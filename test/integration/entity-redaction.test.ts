/**
 * Names and addresses nobody trained on reach the upstream redacted (issue 13, "done when"):
 * sentences written for this test only — not from any dataset and not from the tagger's
 * generator templates — sent through the whole local stack (workerd + simulator).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  ({ key } = await seedKey(stack));
});
afterAll(async () => stack?.close());

const CASES: Array<{ text: string; secrets: string[] }> = [
  {
    text: "ECHO: My sister Ottilie Brannigan-Suarez just moved into 3187 Gossamer Ridge Court, Apt 12B, Flagstaff, AZ 86001 and wants the keys.",
    secrets: ["Ottilie", "Brannigan-Suarez", "3187 Gossamer Ridge", "86001"],
  },
  {
    text: "ECHO: Send the signed copy to Radomir Szczepański, Kwiatowa 44 m. 7, 30-215 Kraków, before the audit.",
    secrets: ["Radomir", "Szczepański", "Kwiatowa 44"],
  },
  {
    text: "ECHO: Please route my nephew's care box to PSC 2291, Box 6174, APO AP 96338 — thanks, Imogen Vasquez-Holt",
    secrets: ["PSC 2291", "96338", "Imogen", "Vasquez-Holt"],
  },
  {
    text: "ECHO: hey, this is tobiah quennell again, can you resend the form to my work address?",
    secrets: ["tobiah", "quennell"],
  },
];

describe("unseen names and addresses are redacted before the upstream", () => {
  it.each(CASES)("$text", async ({ text, secrets }) => {
    stack.sim.reset();
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key),
      body: JSON.stringify({ model: "frontier-sim", messages: [{ role: "user", content: text }] }),
    });
    expect(res.status).toBe(200);
    const upstream = JSON.stringify(stack.sim.requests().map((r) => r.body));
    for (const s of secrets) expect(upstream).not.toContain(s);
    expect(upstream).toMatch(/<(?:PERSON|STREET_ADDRESS)_1>/);
    // Placeholders are restored for the client, who gets their own words back.
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe(text.replace(/^ECHO: /, ""));
  });

  it("reports typed spans on POST /v1/guardrails/check", async () => {
    const text = "Invoice for Thaddeus Okonjo-Lindqvist, 57 Marrowbone Lane, Dunmore, PA 18512.";
    const res = await stack.fetch("/v1/guardrails/check", { method: "POST", headers: bearer(key), body: JSON.stringify({ text, checks: ["pii"] }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pii: Array<{ type: string; start: number; end: number }>; redacted: string };
    const spans = body.pii.map((p) => [p.type, text.slice(p.start, p.end)]);
    expect(spans).toContainEqual(["PERSON", "Thaddeus Okonjo-Lindqvist"]);
    expect(spans.some(([t, v]) => t === "STREET_ADDRESS" && v?.startsWith("57 Marrowbone Lane"))).toBe(true);
    expect(body.redacted).not.toMatch(/Thaddeus|Marrowbone/);
  });
});
