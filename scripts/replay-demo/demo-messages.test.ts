import { describe, expect, it } from "vitest";
import { DEFAULT_REPLAY_FILE, isUnreachable, leftOnNote, missingDataMessage, noGatewayMessage, parseDevKeys, replayPath } from "./demo-messages";

const keys = { tenantId: "ten_x", service: { key: "s" }, developer: { key: "d" }, admin: { key: "a" } };

describe("replay:demo messages", () => {
  it("names the URL, how to start the stack and GATEWAY_PORT when nothing listens", () => {
    const m = noGatewayMessage("http://127.0.0.1:18787");
    expect(m).toMatch(/^no gateway at http:\/\/127\.0\.0\.1:18787 — start it with npm start -- --replay \.tmp\/replay-demo\.jsonl/);
    expect(m).toContain("or set GATEWAY_PORT");
    expect(m).not.toContain("\n");
  });

  it("tells a refused connection from other errors", async () => {
    // Port 1 on loopback: nothing listens there, so fetch fails the way it does with no gateway.
    const err = await fetch("http://127.0.0.1:1/").then(() => null, (e: unknown) => e);
    expect(isUnreachable(err)).toBe(true);
    expect(isUnreachable(new Error("PUT settings: HTTP 403"))).toBe(false);
    expect(isUnreachable(new TypeError("x is not a function"))).toBe(false);
  });

  it("reads the keys, or says in one line that npm start writes the file", () => {
    expect(parseDevKeys(JSON.stringify(keys), ".dev-keys.json")).toEqual({ keys });
    const missing = parseDevKeys(null, ".dev-keys.json");
    expect("message" in missing && missing.message).toMatch(/^\.dev-keys\.json not found: npm start writes it/);
    const notJson = parseDevKeys("{tenantId:", ".dev-keys.json");
    expect("message" in notJson && notJson.message).toBe(".dev-keys.json is not JSON: npm start rewrites it — stop the stack and run npm start again");
    const wrongShape = parseDevKeys(JSON.stringify({ ...keys, admin: {} }), ".dev-keys.json");
    const m = "message" in wrongShape ? wrongShape.message : "";
    // One line naming the field, not zod's JSON dump of every issue.
    expect(m).toMatch(/^\.dev-keys\.json does not hold the dev keys npm start writes \(admin\.key: .+\) — stop the stack and run npm start again$/);
    expect(m).not.toContain("\n");
    expect(m).not.toContain("[");
  });

  it("points at --data when the rows cannot be read", () => {
    const m = missingDataMessage("/nowhere/routing", "ENOENT: no such file or directory");
    expect(m).toBe("cannot read the GSM8K rows from /nowhere/routing (ENOENT: no such file or directory) — pass the routing data folder with --data DIR (it holds gsm8k-mixtral-gpt4-dev.csv)");
  });

  describe("--write-replay paths", () => {
    const root = "/repo";
    const always = () => true;

    it("accepts the default and other git-ignored files under .tmp/", () => {
      expect(replayPath(root, DEFAULT_REPLAY_FILE, always)).toEqual({ path: "/repo/.tmp/replay-demo.jsonl" });
      expect(replayPath(root, "/repo/.tmp/a/b.jsonl", always)).toEqual({ path: "/repo/.tmp/a/b.jsonl" });
    });

    it("refuses anything outside .tmp/, however it is spelled", () => {
      for (const arg of ["out/replay.jsonl", "replay.jsonl", ".tmp", ".tmp/../out.jsonl", "/tmp/replay.jsonl", ".tmpx/r.jsonl", "../r.jsonl"]) {
        const r = replayPath(root, arg, always);
        expect("message" in r && r.message, arg).toMatch(new RegExp(`^--write-replay ${arg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*only inside \\.tmp/ \\(git-ignored\\), e\\.g\\. \\.tmp/replay-demo\\.jsonl$`));
      }
    });

    it("refuses a path under .tmp/ that git does not ignore, asking git with the absolute path", () => {
      const asked: string[] = [];
      const r = replayPath(root, ".tmp/keep.jsonl", (p) => (asked.push(p), false));
      expect(asked).toEqual(["/repo/.tmp/keep.jsonl"]);
      expect("message" in r && r.message).toContain("git does not ignore this path");
    });
  });

  it("ends by saying what it left switched off and how to restore it", () => {
    const note = leftOnNote("ten_dev", "replay-demo");
    expect(note).toContain("feature replay-demo of tenant ten_dev still has cascade on and PII redaction and injection screening OFF");
    expect(note).toContain("npm run replay:demo -- --restore   (or run the demo with --restore-after)");
    expect(leftOnNote("ten_dev", "other")).toContain("npm run replay:demo -- --restore --feature other");
  });
});
