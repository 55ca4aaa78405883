/**
 * `npm run audit:verify [-- --persist-to .wrangler/state] [--anchor]`
 *
 * Verifies the local audit hash chain (the same D1 file `wrangler dev` uses) against the KV
 * anchor `audit:anchor`, prints the report as JSON and exits 1 if any row was edited,
 * deleted, inserted or reordered. `--anchor` then moves the anchor to the verified head.
 * Against production, call GET /admin/v1/audit/verify with an operator key instead.
 */
import { parseArgs } from "node:util";
import { anchorAuditHead, readAnchor } from "../workers/gateway/src/audit/anchor";
import { verifyAuditChain } from "../workers/gateway/src/audit/verify";
import { openLocalState } from "./seed-dev";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { "persist-to": { type: "string", default: ".wrangler/state" }, anchor: { type: "boolean", default: false } } });
  const state = await openLocalState(values["persist-to"] ?? ".wrangler/state");
  try {
    const report = await verifyAuditChain(state.db, await readAnchor(state.kv));
    console.log(JSON.stringify(report, null, 2));
    if (report.ok && values.anchor) await anchorAuditHead(state.db, state.kv);
    return report.ok ? 0 : 1;
  } finally {
    await state.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
