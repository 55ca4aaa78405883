import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkPorts, tryListen } from "./ports";

const open: Server[] = [];
async function occupy(): Promise<number> {
  const server = createServer();
  open.push(server);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return (server.address() as { port: number }).port;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((ok) => s.close(ok))));
});
const free = async () => (await tryListen(0)) as number;

describe("npm start's port checks", () => {
  it("moves the inspector to a free port when its port is taken (a second copy of the stack)", async () => {
    const taken = await occupy();
    const r = await checkPorts({ gateway: String(await free()), simulator: String(await free()), inspector: String(taken) });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.inspector).not.toBe(taken);
      expect(await tryListen(r.inspector)).toBe(r.inspector);
    }
  });

  it("refuses a taken gateway or simulator port, naming its variable", async () => {
    const taken = await occupy();
    expect(await checkPorts({ gateway: String(taken), simulator: String(await free()), inspector: String(await free()) })).toEqual({
      ok: false,
      message: expect.stringMatching(new RegExp(`port ${taken} \\(GATEWAY_PORT\\) is in use`)),
    });
    expect(await checkPorts({ gateway: String(await free()), simulator: String(taken), inspector: String(await free()) })).toMatchObject({ ok: false, message: expect.stringContaining("SIMULATOR_PORT") });
  });

  it("refuses a port that is not a number or repeats another", async () => {
    expect(await checkPorts({ gateway: "http", simulator: "8000", inspector: "9229" })).toMatchObject({ ok: false, message: expect.stringContaining("GATEWAY_PORT must be a port number") });
    expect(await checkPorts({ gateway: "8000", simulator: "8000", inspector: "9229" })).toMatchObject({ ok: false, message: expect.stringContaining("must differ") });
  });
});
