/**
 * Writing prompts: create (with version 1), add a version, move a label. Each write is one D1
 * batch together with its audit row (batchWithAudit): it happens and is audited, or neither.
 * Versions are numbered by the database state they were written against: two concurrent
 * writers of the same next number collide on the primary key, and the loser retries on the
 * new state (a 409 after a few tries), so numbers are dense and never reused.
 */
import { GatewayError } from "../../../../shared/errors";
import { batchWithAudit } from "../../../../shared/audit/hash-chain";
import { getPrompt, promptRow, visibleTo, type LabelView, type PromptCaller, type PromptRow, type PromptView } from "./prompt-reads";
import type { CreatePromptInput, CreateVersionInput } from "./schemas";
import { checkTemplate, type TemplateMessage } from "./template";

/** Finds text a template must not hold (PII, under the tenant's policy); [] when clean. */
export type TemplateScreen = (messages: readonly TemplateMessage[], feature: string | null) => Promise<{ path: (string | number)[]; message: string }[]>;

export interface WriteContext {
  db: D1Database;
  caller: PromptCaller;
  now: number;
  screen: TemplateScreen;
}

const MAX_TRIES = 4;

const isUniqueViolation = (err: unknown): boolean => err instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(`${err.message} ${String(err.cause ?? "")}`);

/** A key limited to some features writes only prompts of those features. */
function assertMayWrite(caller: PromptCaller, feature: string | null): void {
  if (visibleTo(caller, feature)) return;
  const allowed = caller.features?.join(", ") ?? "";
  throw new GatewayError("forbidden", `This API key acts only for features ${allowed}: give the prompt one of them ("feature").`, { param: "feature", code: "feature_not_allowed" });
}

async function assertSound(ctx: WriteContext, input: CreateVersionInput, feature: string | null): Promise<void> {
  const problems = checkTemplate(input.messages, input.variables);
  if (problems.length === 0) problems.push(...(await ctx.screen(input.messages, feature)));
  const first = problems[0];
  if (first) throw new GatewayError("invalid_request", `${first.path.join(".")}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`, { param: first.path.join("."), code: "invalid_prompt_template" });
}

function versionInsert(ctx: WriteContext, id: string, version: number, input: CreateVersionInput): D1PreparedStatement {
  return ctx.db
    .prepare("INSERT INTO prompt_versions (tenant_id, prompt_id, version, messages_json, variables_json, note, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
    .bind(ctx.caller.tenantId, id, version, JSON.stringify(input.messages), JSON.stringify(input.variables), input.note, ctx.now, ctx.caller.keyId);
}

/** Points `label` at `version`, keeping where it pointed before (for one-click undo). */
function labelUpsert(ctx: WriteContext, id: string, label: string, version: number): D1PreparedStatement {
  return ctx.db
    .prepare(
      `INSERT INTO prompt_labels (tenant_id, prompt_id, label, version, previous_version, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)
       ON CONFLICT (tenant_id, prompt_id, label) DO UPDATE SET previous_version = prompt_labels.version, version = excluded.version,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(ctx.caller.tenantId, id, label, version, ctx.now, ctx.caller.keyId);
}

export async function createPrompt(ctx: WriteContext, input: CreatePromptInput): Promise<PromptView> {
  assertMayWrite(ctx.caller, input.feature);
  await assertSound(ctx, input, input.feature);
  const labels = [...new Set(input.labels)];
  const statements = [
    ctx.db
      .prepare("INSERT INTO prompts (tenant_id, id, description, feature, latest_version, created_at, created_by, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?5)")
      .bind(ctx.caller.tenantId, input.id, input.description, input.feature, ctx.now, ctx.caller.keyId),
    versionInsert(ctx, input.id, 1, input),
    ...labels.map((l) => labelUpsert(ctx, input.id, l, 1)),
  ];
  try {
    await batchWithAudit(ctx.db, statements, ctx.caller.tenantId, { action: "prompt.created", actor: ctx.caller.keyId, target: `prompt:${input.id}`, detail: { version: 1, feature: input.feature, labels } }, ctx.now);
  } catch (err) {
    if (isUniqueViolation(err)) throw new GatewayError("conflict", `Prompt ${JSON.stringify(input.id)} already exists; add a version with POST /v1/prompts/${input.id}/versions.`, { param: "id", code: "prompt_exists" });
    throw err;
  }
  return getPrompt(ctx.db, ctx.caller, input.id);
}

export async function createVersion(ctx: WriteContext, id: string, input: CreateVersionInput): Promise<{ prompt: PromptView; version: number }> {
  for (let attempt = 1; ; attempt++) {
    const prompt = await promptRow(ctx.db, ctx.caller, id);
    if (attempt === 1) await assertSound(ctx, input, prompt.feature);
    const version = prompt.latest_version + 1;
    const labels = [...new Set(input.labels)];
    const statements = [
      versionInsert(ctx, prompt.id, version, input),
      ctx.db.prepare("UPDATE prompts SET latest_version = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2 AND latest_version < ?3").bind(ctx.caller.tenantId, prompt.id, version, ctx.now),
      ...labels.map((l) => labelUpsert(ctx, prompt.id, l, version)),
    ];
    try {
      await batchWithAudit(ctx.db, statements, ctx.caller.tenantId, { action: "prompt.version_created", actor: ctx.caller.keyId, target: `prompt:${prompt.id}`, detail: { version, labels } }, ctx.now);
      return { prompt: await getPrompt(ctx.db, ctx.caller, prompt.id), version };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (attempt >= MAX_TRIES) throw new GatewayError("conflict", `Prompt ${JSON.stringify(id)} is being changed concurrently; retry.`, { code: "prompt_busy" });
    }
  }
}

/**
 * Moves `label` to `version` (which must exist). Moving it back to where it was is the rollback.
 * Moving a label to the version it already names writes nothing and answers the label as is.
 */
export async function moveLabel(ctx: WriteContext, id: string, label: string, version: number): Promise<LabelView> {
  const prompt: PromptRow = await promptRow(ctx.db, ctx.caller, id);
  if (version > prompt.latest_version) {
    throw new GatewayError("not_found", `Prompt ${JSON.stringify(id)} has no version ${version} (latest is ${prompt.latest_version}).`, { param: "version", code: "prompt_version_not_found" });
  }
  const current = (await getPrompt(ctx.db, ctx.caller, prompt.id)).labels.find((l) => l.label === label);
  if (current?.version === version) return current;
  const detail = { label, from: current?.version ?? null, to: version };
  await batchWithAudit(ctx.db, [labelUpsert(ctx, prompt.id, label, version)], ctx.caller.tenantId, { action: "prompt.label_moved", actor: ctx.caller.keyId, target: `prompt:${prompt.id}`, detail }, ctx.now);
  const moved = (await getPrompt(ctx.db, ctx.caller, prompt.id)).labels.find((l) => l.label === label);
  if (!moved) throw new Error("label row missing after its write");
  return moved;
}
