/**
 * Random valid chat requests with a generated PII value planted in every field a client can
 * fill with text — message text and parts, names, refusals, tool-call ids and arguments, tool
 * results, tool descriptions and parameter schemas (descriptions, enums, defaults, examples,
 * extension keywords), response_format, stop, prediction, metadata, the end-user identifiers —
 * and in unknown extra keys at every level the schema lets them through. Drawn imperatively
 * with fc.gen() so every planted value is recorded. Inline payloads are either text holding a
 * planted value (an SVG image, a text/plain or CSV file, base64 or percent-encoded: the gateway
 * decodes and redacts them) or random bytes (PNG, PDF, audio: opaque, forwarded unread;
 * request-texts.ts, data-payload.ts).
 */
import fc from "fast-check";
import { planted, sentenceWith, urlSafePlanted } from "./pii-arbitraries";

/** UTF-8 text as base64, as a client encodes a file. */
export const base64Utf8 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

export type PartKind = "text" | "image_url" | "input_audio" | "file" | "refusal";

/** What an adapter can express, so every generated request gets a real answer from it. */
export interface RequestProfile {
  parts: readonly PartKind[];
  tools: boolean;
  /** Whether the upstream format takes text payloads (SVG images, text files) as well as binary ones. */
  textPayloads?: boolean;
}

export interface BuiltRequest {
  request: Record<string, unknown>;
  planted: string[];
  /** The final user turn's text as sent: an echo of it must come back restored. */
  lastUserText: string;
}

type Gen = fc.GeneratorValue;
type Obj = Record<string, unknown>;

const TOOL_NAMES = ["lookup_order", "get_weather", "send_note"];
// Built once: constructing stringMatching arbitraries (fast-check tokenizes its default slices)
// cost ~4 of the every-field property's ~5 s when rebuilt per draw. Same values drawn.
const EXTRA_KEY = fc.stringMatching(/^x_[a-z]{1,8}$/);
const CALL_ID = fc.stringMatching(/^call_[A-Za-z0-9]{8,24}$/);

class Builder {
  readonly planted: string[] = [];
  constructor(
    private readonly g: Gen,
    private readonly profile: RequestProfile,
  ) {}

  bool = (): boolean => this.g(() => fc.boolean());
  plant = (): string => {
    const v = this.g(() => planted).value;
    this.planted.push(v);
    return v;
  };
  text = (): string => {
    const v = this.plant();
    return this.g(() => sentenceWith(v));
  };
  bytes = (): string => btoa(String.fromCharCode(...this.g(() => fc.uint8Array({ minLength: 3, maxLength: 48 }))));

  /** 0-2 keys the schema does not name, holding PII as text, nested objects or arrays. */
  extras = (): Obj => {
    const out: Obj = {};
    const n = this.g(() => fc.integer({ min: 0, max: 2 }));
    for (let i = 0; i < n; i++) {
      const key = this.g(() => EXTRA_KEY);
      const shape = this.g(() => fc.integer({ min: 0, max: 2 }));
      out[key] = shape === 0 ? this.text() : shape === 1 ? { note: this.text(), deeper: { value: this.plant() } } : [this.text()];
    }
    return out;
  };

  part = (kind: PartKind): Obj => {
    switch (kind) {
      case "text":
        return { type: "text", text: this.text(), ...this.extras() };
      case "refusal":
        return { type: "refusal", refusal: this.text(), ...this.extras() };
      case "image_url": {
        const pick = this.g(() => fc.integer({ min: 0, max: this.profile.textPayloads ? 3 : 1 }));
        const svg = () => `<svg xmlns="http://www.w3.org/2000/svg"><text x="4" y="20">${this.text()}</text></svg>`;
        const url =
          pick === 0
            ? `https://img.example.com/p.png?ref=${this.plantUrlValue()}`
            : pick === 1
              ? `data:image/png;base64,${this.bytes()}`
              : pick === 2
                ? `data:image/svg+xml;base64,${base64Utf8(svg())}`
                : `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg())}`;
        return { type: "image_url", image_url: { url, detail: "low", ...this.extras() }, ...this.extras() };
      }
      case "input_audio":
        return { type: "input_audio", input_audio: { data: this.bytes(), format: "wav", ...this.extras() }, ...this.extras() };
      case "file": {
        const pick = this.g(() => fc.integer({ min: 0, max: this.profile.textPayloads ? 2 : 0 }));
        const file =
          pick === 0
            ? { filename: `${this.text()}.pdf`, file_data: `data:application/pdf;base64,${this.bytes()}` }
            : pick === 1
              ? { filename: `${this.text()}.txt`, file_data: `data:text/plain;base64,${base64Utf8(`${this.text()}\n${this.text()}`)}` }
              : { filename: "contacts.csv", file_data: base64Utf8(`name,note\n"${this.text()}",x`) };
        return { type: "file", file: { ...file, ...this.extras() }, ...this.extras() };
      }
    }
  };

  private plantUrlValue(): string {
    const v = this.g(() => urlSafePlanted).value;
    this.planted.push(v);
    return v;
  }

  content = (kinds: readonly PartKind[]): string | Obj[] => {
    if (this.bool()) return this.text();
    const n = this.g(() => fc.integer({ min: 1, max: 3 }));
    return Array.from({ length: n }, () => this.part(this.g(() => fc.constantFrom(...kinds))));
  };

  userKinds = (): PartKind[] => this.profile.parts.filter((k) => k !== "refusal");
  assistantKinds = (): PartKind[] => this.profile.parts.filter((k) => k === "text" || k === "refusal");

  toolTurn = (): Obj[] => {
    const calls = Array.from({ length: this.g(() => fc.integer({ min: 1, max: 2 })) }, () => {
      const id = this.bool() ? this.plant() : this.g(() => CALL_ID);
      const args = JSON.stringify({ q: this.text(), ref: this.plant(), nested: { when: this.text() } });
      const name = this.g(() => fc.constantFrom(...TOOL_NAMES));
      return { id, type: "function", function: { name, arguments: args, ...this.extras() }, ...this.extras() };
    });
    const assistant: Obj = { role: "assistant", content: this.bool() ? null : this.text(), tool_calls: calls, ...this.extras() };
    if (this.bool()) assistant.refusal = this.text();
    const results = calls.map((c) => ({ role: "tool", tool_call_id: c.id, content: this.bool() ? this.text() : [{ type: "text", text: this.text() }], ...this.extras() }));
    return [assistant, ...results];
  };

  messages = (): { messages: Obj[]; lastUserText: string } => {
    const out: Obj[] = [];
    if (this.bool()) out.push({ role: this.bool() ? "system" : "developer", content: this.content(["text"]), ...this.name(), ...this.extras() });
    const turns = this.g(() => fc.integer({ min: 0, max: 2 }));
    for (let t = 0; t < turns; t++) {
      out.push({ role: "user", content: this.content(this.userKinds()), ...this.name(), ...this.extras() });
      out.push(...(this.bool() ? this.toolTurn() : [{ role: "assistant", content: this.content(this.assistantKinds()), ...this.name(), ...this.extras() }]));
    }
    const lastUserText = this.text();
    out.push({ role: "user", content: this.bool() ? lastUserText : [{ type: "text", text: lastUserText, ...this.extras() }], ...this.name(), ...this.extras() });
    return { messages: out, lastUserText };
  };

  name = (): Obj => (this.bool() ? { name: this.plant() } : {});

  tool = (name: string): Obj => ({
    type: "function",
    function: {
      name,
      description: this.text(),
      parameters: {
        type: "object",
        properties: { q: { type: "string", description: this.text(), enum: [this.plant(), this.plant()], default: this.plant(), examples: [this.plant()] } },
        required: ["q"],
        "x-note": this.text(),
      },
      ...this.extras(),
    },
    ...this.extras(),
  });

  responseFormat = (): Obj => ({
    type: "json_schema",
    json_schema: { name: "answer", description: this.text(), schema: { type: "object", properties: { a: { type: "string", description: this.text(), enum: [this.plant()] } } }, strict: true, ...this.extras() },
  });

  options = (): Obj => {
    const out: Obj = { user: this.plant(), metadata: { note: this.text(), [`k_${this.planted.length}`]: this.plant() }, stop: [this.text()] };
    if (this.bool()) out.safety_identifier = this.plant();
    if (this.bool()) out.prompt_cache_key = this.plant();
    if (this.bool()) out.prediction = { type: "content", content: this.text(), ...this.extras() };
    if (this.bool()) out.response_format = this.responseFormat();
    if (this.bool()) out.stream_options = { include_usage: true, ...this.extras() };
    if (this.bool()) out.web_search_options = { user_location: { type: "approximate", approximate: { city: this.text() } } };
    if (this.bool()) out.store = true;
    if (this.bool()) out.temperature = this.g(() => fc.double({ min: 0, max: 1, noNaN: true }));
    if (this.profile.tools && this.bool()) {
      out.tools = TOOL_NAMES.slice(0, this.g(() => fc.integer({ min: 1, max: 3 }))).map(this.tool);
      out.tool_choice = this.g(() => fc.constantFrom<unknown>("auto", "required", { type: "function", function: { name: TOOL_NAMES[0] } }));
    }
    return out;
  };
}

export function buildChatRequest(g: Gen, profile: RequestProfile): BuiltRequest {
  const b = new Builder(g, profile);
  const { messages, lastUserText } = b.messages();
  const request = { model: "m", messages, ...b.options(), ...b.extras() };
  return { request, planted: b.planted, lastUserText };
}
