import { describe, expect, it } from "vitest";
import { deadline } from "./deadline";

describe("deadline", () => {
  it("aborts with its timeout reason when the time is up", async () => {
    const d = deadline(5, () => new Error("too slow"));
    await new Promise((r) => setTimeout(r, 30));
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).message).toBe("too slow");
  });

  it("never fires once cleared, and aborts at once on demand", async () => {
    const d = deadline(5, () => new Error("too slow"));
    d.clear();
    await new Promise((r) => setTimeout(r, 30));
    expect(d.signal.aborted).toBe(false);
    d.abort(new Error("client gone"));
    expect((d.signal.reason as Error).message).toBe("client gone");
  });
});
