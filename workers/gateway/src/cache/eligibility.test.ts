import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { requestIneligible } from "./eligibility";
import { DEFAULT_POLICY } from "./settings";

const ask = (content: string): ChatCompletionRequest => ({ model: "auto", messages: [{ role: "user", content }] });

describe("requestIneligible", () => {
  it("with cacheWithPlaceholders off, refuses both placeholder forms, numbered and hashed", () => {
    const strict = { ...DEFAULT_POLICY, cacheWithPlaceholders: false };
    expect(requestIneligible(ask("Email <PERSON_1> now"), strict, "Email <PERSON_1> now")).toBe("placeholders");
    expect(requestIneligible(ask("Balance of <EMAIL_ADDRESS:0123456789ab>?"), strict, "Balance of <EMAIL_ADDRESS:0123456789ab>?")).toBe("placeholders");
    expect(requestIneligible(ask("What is the capital of Peru?"), strict, "What is the capital of Peru?")).toBeNull();
  });
});
