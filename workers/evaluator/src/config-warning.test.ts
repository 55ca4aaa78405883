import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings, warnConfigOnce } from "./config-warning";
import { ledgerSamplingFromEnv } from "./deps-from-env";
import type { EvaluatorEnv } from "./env";

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

describe("configuration warnings", () => {
  it("are logged once per isolate, however many batches read the environment", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const env = { LEDGER_SAMPLING: '{"default":0.2}', ROLLUP_DEDUP: "ledger" } as unknown as EvaluatorEnv;
    for (let i = 0; i < 5; i++) expect(ledgerSamplingFromEnv(env).ledgerSampling).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({ rollupDedup: "ledger" });
  });

  it("keeps distinct problems apart", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    warnConfigOnce("first problem");
    warnConfigOnce("second problem");
    warnConfigOnce("first problem");
    expect(warn.mock.calls.map((c) => (JSON.parse(String(c[0])) as { msg: string }).msg)).toEqual(["first problem", "second problem"]);
  });
});
