/**
 * The archive as a cron step: vars parsed, the R2 binding checked, failures logged rather than
 * thrown (a failed archive must not cost the alert run; its rows stay in D1 for the next run).
 */
import { intVar, type EvaluatorEnv } from "../env";
import { runArchive, type ArchiveReport, type ArchiveWriter } from "./archive-job";
import { parseRetentionDefaults } from "./retention-config";

const isBucket = (b: unknown): b is ArchiveWriter => typeof b === "object" && b !== null && typeof (b as { put?: unknown }).put === "function";

/** The usage queue's message retention (Queues' default: 4 days): no delivery comes later. */
export const horizonMsFromEnv = (env: EvaluatorEnv): number => intVar(env["ARCHIVE_HORIZON_HOURS"], 96, 1, 24 * 14) * 3_600_000;

export type ArchiveStepResult = (ArchiveReport & { ok: true }) | { ok: false; reason: string };

export async function archiveStep(env: EvaluatorEnv, now: number): Promise<ArchiveStepResult> {
  const bucket = env["ARCHIVE"];
  if (!isBucket(bucket)) return { ok: false, reason: "no ARCHIVE binding: nothing archived, D1 keeps every row" };
  try {
    const report = await runArchive(env.DB, bucket, {
      now,
      defaults: parseRetentionDefaults(env["RETENTION_DEFAULTS"]),
      horizonMs: horizonMsFromEnv(env),
      chunkRows: intVar(env["ARCHIVE_CHUNK_ROWS"], 1_000, 10, 5_000),
      maxChunks: intVar(env["ARCHIVE_MAX_CHUNKS"], 50, 1, 300),
    });
    return { ok: true, ...report };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.slice(0, 300) : "archive failed" };
  }
}

