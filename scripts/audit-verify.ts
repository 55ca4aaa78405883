/**
 * `npm run audit:verify [-- --persist-to .wrangler/state] [--anchor]`
 *
 * Verifies the local audit hash chain (the same D1 file `wrangler dev` uses) against the KV
 * anchor `audit:anchor`, prints the report as JSON and exits 1 if any row was edited,
 * deleted, inserted, reordered or is malformed. `--anchor` then moves the anchor to the
 * verified head. Against production, call GET /admin/v1/audit/verify with an operator key.
 * Exit codes: 0 chain intact, 1 problems found (listed), 2 the check itself could not run.
 * Keyed links are checked with AUDIT_CHAIN_KEY (and AUDIT_CHAIN_KEYED_FROM) from the
 * environment, else from ./.dev.vars, where `npm start` puts the local key.
 */
import { parseCli } from "./lib/cli";

function args(): { persistTo: string; anchor: boolean } {
  const { values } = parseCli({
    name: "npm run audit:verify --",
    summary: "Verifies the local audit log's hash chain and its KV anchor; prints a JSON report.",
    options: {
      "persist-to": { type: "string", default: ".wrangler/state", value: "DIR", description: "wrangler's local state" },
      anchor: { type: "boolean", default: false, description: "after a clean check, move the KV anchor to the verified head" },
    },
    notes: [
      "Keyed links are checked with AUDIT_CHAIN_KEY from the environment, else from ./.dev.vars.",
      "Exit: 0 intact, 1 problems (each with its seq and kind; malformed rows with the row), 2 error.",
    ],
  });
  return { persistTo: values["persist-to"], anchor: values.anchor };
}

async function main(): Promise<number> {
  const parsed = args();
  // Loaded after the arguments are checked, so --help and typos answer without starting Miniflare.
  const [{ anchorAuditHead, readAnchor }, { verifyAuditChain }, { useAuditChainKey }, { openLocalState }, { readDevVar }] = await Promise.all([
    import("../shared/audit/anchor"),
    import("../shared/audit/verify"),
    import("../shared/audit/chain-key"),
    import("./seed-dev"),
    import("./dev-vars"),
  ]);
  const fromEnvOrFile = (name: string) => process.env[name] ?? readDevVar(".dev.vars", name);
  const state = await openLocalState(parsed.persistTo);
  try {
    useAuditChainKey(state.db, { AUDIT_CHAIN_KEY: fromEnvOrFile("AUDIT_CHAIN_KEY"), AUDIT_CHAIN_KEYED_FROM: fromEnvOrFile("AUDIT_CHAIN_KEYED_FROM") });
    const report = await verifyAuditChain(state.db, await readAnchor(state.kv));
    console.log(JSON.stringify(report, null, 2));
    if (report.ok && parsed.anchor) await anchorAuditHead(state.db, state.kv);
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
