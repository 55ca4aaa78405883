import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { GuardrailSettingsSchema } from "../settings";
import { redactChatRequest } from "./redact-request";
import { restoreText } from "./restore";
import { testHashKey } from "../testing/hash-key";

const settings = GuardrailSettingsSchema.parse({});
const req = (messages: ChatCompletionRequest["messages"]): ChatCompletionRequest => ({ model: "m", messages });

describe("redactChatRequest", () => {
  it("gives the same value the same placeholder across messages and restores it", () => {
    const r = redactChatRequest(
      req([
        { role: "system", content: "Support bot." },
        { role: "user", content: "I am Jane Doe, mail jane@example.com" },
        { role: "assistant", content: "Hello Jane Doe" },
        { role: "user", content: [{ type: "text", text: "again: jane@example.com" }] },
      ]),
      settings,
      testHashKey("salt"),
    );
    const [, u1, a1, u2] = r.request.messages;
    expect(u1?.content).toBe("I am <PERSON_1>, mail <EMAIL_ADDRESS_1>");
    expect(a1?.content).toBe("Hello <PERSON_1>");
    expect(u2?.content).toEqual([{ type: "text", text: "again: <EMAIL_ADDRESS_1>" }]);
    expect(r.findings).toEqual(expect.arrayContaining([{ type: "EMAIL_ADDRESS", count: 2 }, { type: "PERSON", count: 2 }]));
    expect(restoreText("Dear <PERSON_1> (<EMAIL_ADDRESS_1>)", r.vault)).toBe("Dear Jane Doe (jane@example.com)");
  });

  it("does not mutate the input request", () => {
    const input = req([{ role: "user", content: "mail jane@example.com" }]);
    redactChatRequest(input, settings, testHashKey("s"));
    expect(input.messages[0]?.content).toBe("mail jane@example.com");
  });

  it("redacts tool-call arguments as JSON, keeping them parseable, and tool results", () => {
    const r = redactChatRequest(
      req([
        { role: "user", content: "pay" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "pay", arguments: '{"card":4539148803436467,"ssn":"521449382","note":"ok"}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: "charged jane@example.com" },
      ]),
      settings,
      testHashKey("s"),
    );
    const call = r.request.messages[1];
    const args = call?.role === "assistant" ? JSON.parse(call.tool_calls?.[0]?.function.arguments ?? "") : null;
    expect(args).toEqual({ card: "<CREDIT_CARD_1>", ssn: "<US_SSN_1>", note: "ok" });
    expect(r.request.messages[2]?.content).toBe("charged <EMAIL_ADDRESS_1>");
  });

  it("applies mask, hash and block actions", () => {
    const s = GuardrailSettingsSchema.parse({ pii: { entities: { CREDIT_CARD: "mask", EMAIL_ADDRESS: "hash", US_SSN: "block" } } });
    const r = redactChatRequest(req([{ role: "user", content: "card 4539 1488 0343 6467 mail a@b.io ssn 521-44-9382" }]), s, testHashKey("tenant-1"));
    const text = r.request.messages[0]?.content as string;
    expect(text).toMatch(/^card \*\*\*\*6467 mail <EMAIL_ADDRESS:[0-9a-f]{12}> ssn 521-44-9382$/);
    expect(r.blocked).toEqual(["US_SSN"]);
    const other = redactChatRequest(req([{ role: "user", content: "mail a@b.io" }]), s, testHashKey("tenant-2")).request.messages[0]?.content;
    expect(other).not.toBe(text.match(/mail (\S+)/)?.[0]);
  });

  it("leaves image parts and allowed entities alone", () => {
    const r = redactChatRequest(
      req([{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x.io/a.png" } }, { type: "text", text: "on 2024-01-01" }] }]),
      settings,
      testHashKey("s"),
    );
    expect(r.request.messages[0]?.content).toEqual([
      { type: "image_url", image_url: { url: "https://x.io/a.png" } },
      { type: "text", text: "on 2024-01-01" },
    ]);
  });

  it("falls back to raw redaction for absurdly nested tool arguments", () => {
    const deep = `${"[".repeat(500)}"jane@example.com"${"]".repeat(500)}`;
    const r = redactChatRequest(
      req([{ role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: deep } }] }]),
      settings,
      testHashKey("s"),
    );
    const m = r.request.messages[0];
    expect(m?.role === "assistant" ? m.tool_calls?.[0]?.function.arguments : "").not.toContain("jane@example.com");
  });
});

describe("inline payloads in chat content", () => {
  const textFile = (text: string) => `data:text/plain;base64,${btoa(text)}`;
  const parts = (content: unknown): ChatCompletionRequest => req([{ role: "user", content } as ChatCompletionRequest["messages"][number]]);

  it("a text file's and an SVG image's contents are redacted; a PNG and audio go on as sent", () => {
    const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==";
    const out = redactChatRequest(
      parts([
        { type: "file", file: { filename: "note.txt", file_data: textFile("Reach me at tamsin.oduya@quillworks.example") } },
        { type: "image_url", image_url: { url: `data:image/svg+xml,${encodeURIComponent("<svg><text>SSN 536-22-8147</text></svg>")}` } },
        { type: "image_url", image_url: { url: png } },
        { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
      ]),
      settings,
      testHashKey("t"),
    );
    const body = JSON.stringify(out.request);
    expect(atob(/"file_data":"data:text\/plain;base64,([^"]+)"/.exec(body)?.[1] ?? "")).toBe("Reach me at <EMAIL_ADDRESS_1>");
    expect(body).not.toContain("536-22-8147");
    expect(decodeURIComponent(body)).toContain("&lt;US_SSN_1&gt;"); // escaped: the SVG stays well formed
    expect(body).toContain(png);
    expect(body).toContain("UklGRg==");
    expect(out.findings).toEqual(expect.arrayContaining([{ type: "EMAIL_ADDRESS", count: 1 }, { type: "US_SSN", count: 1 }]));
  });

  it("text hidden by labels, escapes or encodings is found: octet-stream and Excel-typed files, JSON escapes, character references", () => {
    const email = "tamsin.oduya@quillworks.example";
    const files = [
      { type: "file", file: { filename: "note.txt", file_data: `data:application/octet-stream;base64,${btoa(`mail ${email}`)}` } },
      { type: "file", file: { filename: "list.csv", file_data: `data:application/vnd.ms-excel;base64,${btoa(`name,mail\nT,${email}`)}` } },
      { type: "file", file: { filename: "contact", file_data: btoa(`mail ${email}`) } },
      { type: "file", file: { filename: "a.json", file_data: `data:application/json,${encodeURIComponent(`{"mail":"tamsin.oduya\\u0040quillworks.example"}`)}` } },
      { type: "image_url", image_url: { url: `data:image/svg+xml,${encodeURIComponent("<svg><text>tamsin.oduya&#64;quillworks.example</text></svg>")}` } },
    ];
    for (const part of files) {
      const out = redactChatRequest(parts([part]), settings, testHashKey("t"));
      const body = JSON.stringify(out.request);
      const decoded = [...body.matchAll(/base64,([A-Za-z0-9+/=]+)|"file_data":"([A-Za-z0-9+/=]+)"|data:[^,]*,([^"]*)/g)].map((m) => (m[1] ?? m[2] ? atob(m[1] ?? m[2] ?? "") : decodeURIComponent(m[3] ?? ""))).join(" ");
      expect(decoded, JSON.stringify(part)).not.toMatch(/tamsin\.oduya/);
      expect(out.findings).toEqual([{ type: "EMAIL_ADDRESS", count: 1 }]);
    }
  });

  it("a JSON file's keys label its values, snake_case included, as tool arguments' keys do", () => {
    const json = `{\n  "id": 7,\n  "driver_license": "D1234567",\n  "social_security_number": "536228147"\n}`;
    const out = redactChatRequest(parts([{ type: "file", file: { filename: "rec.json", file_data: `data:application/json;base64,${btoa(json)}` } }]), settings, testHashKey("t"));
    const sent = atob(/"file_data":"data:application\/json;base64,([^"]+)"/.exec(JSON.stringify(out.request))?.[1] ?? "");
    expect(sent).not.toContain("D1234567");
    expect(sent).not.toContain("536228147");
    expect(JSON.parse(sent)).toMatchObject({ id: 7 });
  });

  it("a payload labelled text that cannot be read is a 400 under any acting policy; with PII off it goes on", () => {
    for (const url of [`data:text/plain;charset=utf-16le;base64,${btoa("h\x00i\x00")}`, "data:text/plain,It%92s mine", `data:text/csv;base64,${btoa("a\x00b")}`]) {
      let err: unknown = null;
      try {
        redactChatRequest(parts([{ type: "image_url", image_url: { url } }]), settings, testHashKey("t"));
      } catch (e) {
        err = e;
      }
      expect(err, url).toMatchObject({ status: 400, code: "unscannable_input", param: "messages.0.content.0.image_url.url" });
      const off = GuardrailSettingsSchema.parse({ pii: { enabled: false } });
      expect(JSON.stringify(redactChatRequest(parts([{ type: "image_url", image_url: { url } }]), off, testHashKey("t")).request)).toContain(JSON.stringify(url).slice(1, -1));
    }
  });

  it("with pii.opaqueInputs refuse, an image, PDF or audio payload is a 400 naming it; text payloads still pass", () => {
    const strict = GuardrailSettingsSchema.parse({ pii: { opaqueInputs: "refuse" } });
    const refused = (content: unknown) => {
      try {
        redactChatRequest(parts(content), strict, testHashKey("t"));
        return null;
      } catch (err) {
        return err as { status: number; code: string; param: string };
      }
    };
    expect(refused([{ type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } }])).toMatchObject({ status: 400, code: "unscannable_input", param: "messages.0.content.0.image_url.url" });
    expect(refused([{ type: "text", text: "hi" }, { type: "input_audio", input_audio: { data: "UklGRg==", format: "mp3" } }])).toMatchObject({ param: "messages.0.content.1.input_audio.data" });
    expect(refused([{ type: "file", file: { filename: "a.txt", file_data: textFile("plain words") } }])).toBeNull();
    const off = GuardrailSettingsSchema.parse({ pii: { opaqueInputs: "refuse", enabled: false } });
    expect(() => redactChatRequest(parts([{ type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }]), off, testHashKey("t"))).not.toThrow();
  });
});
