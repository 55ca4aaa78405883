/**
 * The consumer's D1 writes: each event's ledger row (and trace, when kept in D1) with the usage
 * rollups and latency histograms, in chunks (one transaction each: D1 round trips dominate the
 * cost). Two ways to deduplicate the rollups (ROLLUP_DEDUP):
 * - "ledger" (default): chunks of LEDGER_CHUNK events; the rollups read back the ledger rows
 *   this delivery inserted (their nonce). A failed chunk falls back to one transaction per event.
 * - "message": chunks of whole messages; each message's rollups are pre-aggregated from its
 *   events and gated by its consumed_messages row (ledger/pack-rollups.ts). A failed chunk falls
 *   back to one transaction per message: a message's events commit together or not at all.
 * Either way nothing is acked before its writes are committed, and a redelivery adds nothing.
 */
import type { UsageEvent } from "../../../shared/schemas/usage-event";
import { forEachLimit } from "./concurrency";
import { newNonce, rollupStatements } from "./ledger/ledger-statements";
import { packRollupStatements } from "./ledger/pack-rollups";
import type { PriceBook } from "./pricing/price-book";
import { eventWrite, type ConsumerDeps } from "./process-event";

/** Events per D1 transaction (a ledger row and a trace each, plus one rollup upsert). */
export const LEDGER_CHUNK = 25;

export interface Item {
  msg: Message<unknown>;
  event: UsageEvent;
}

export function logFailure(msg: Message<unknown>, err: unknown): void {
  console.error(JSON.stringify({ msg: "usage event failed, will retry", id: msg.id, attempts: msg.attempts, error: String(err).slice(0, 300) }));
}

/** One transaction: the items' ledger rows and traces, and their rollups (one grouped upsert). */
async function writeLedger(chunk: readonly Item[], book: PriceBook, deps: ConsumerDeps): Promise<void> {
  const nonce = newNonce();
  const writes = await Promise.all(chunk.map((it) => eventWrite(it.event, book, deps, nonce)));
  await deps.db.batch([...writes.flatMap((w) => w.statements), ...rollupStatements(deps.db, chunk.map((it) => it.event.requestId), nonce)]);
}

/** One transaction for whole messages: per message, its rows and its pack's gated rollups (own nonce each). */
async function writePacks(packs: readonly Item[][], book: PriceBook, deps: ConsumerDeps): Promise<void> {
  const statements = await Promise.all(
    packs.map(async (pack) => {
      const nonce = newNonce();
      const writes = await Promise.all(pack.map((it) => eventWrite(it.event, book, deps, nonce)));
      const msg = (pack[0] as Item).msg;
      return [...writes.flatMap((w) => w.statements), ...(await packRollupStatements(deps.db, msg.id, writes.map((w) => w.row), nonce, deps.now()))];
    }),
  );
  await deps.db.batch(statements.flat());
}

/** Writes `units` in chunks; a failed chunk is retried one unit per transaction. Returns the committed items. */
async function writeChunked(chunks: Item[][][], write: (units: readonly Item[][]) => Promise<void>, deps: ConsumerDeps): Promise<Item[]> {
  const committed: Item[] = [];
  await forEachLimit(chunks, Math.max(1, Math.ceil(deps.concurrency / 4)), async (chunk) => {
    try {
      await write(chunk);
      committed.push(...chunk.flat());
    } catch {
      await forEachLimit(chunk, deps.concurrency, async (unit) => {
        try {
          await write([unit]);
          committed.push(...unit);
        } catch (err) {
          logFailure((unit[0] as Item).msg, err);
        }
      });
    }
  });
  return committed;
}

/** Each message's items (in order of first appearance), grouped greedily into chunks of about LEDGER_CHUNK events. */
function messageChunks(items: readonly Item[]): Item[][][] {
  const byMsg = new Map<Message<unknown>, Item[]>();
  for (const it of items) {
    const pack = byMsg.get(it.msg);
    if (pack) pack.push(it);
    else byMsg.set(it.msg, [it]);
  }
  const chunks: Item[][][] = [];
  let current: Item[][] = [];
  let size = 0;
  for (const pack of byMsg.values()) {
    if (size > 0 && size + pack.length > LEDGER_CHUNK) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(pack);
    size += pack.length;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Returns the items whose ledger rows (and rollups) are committed. */
export async function recordLedger(items: Item[], book: PriceBook, deps: ConsumerDeps): Promise<Item[]> {
  if (deps.rollupDedup === "message") return writeChunked(messageChunks(items), (packs) => writePacks(packs, book, deps), deps);
  const chunks: Item[][][] = [];
  for (let i = 0; i < items.length; i += LEDGER_CHUNK) chunks.push(items.slice(i, i + LEDGER_CHUNK).map((it) => [it]));
  return writeChunked(chunks, (units) => writeLedger(units.flat(), book, deps), deps);
}
