/**
 * Reading prompts, always through the caller: the tenant comes from the key, and a key limited
 * to some features sees only prompts of those features (a tenant-wide prompt, feature NULL, is
 * for unrestricted keys). What a caller may not see answers exactly like what does not exist
 * (404), as another tenant's resources do.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import type { AuthContext } from "../app-env";
import { decodeCursor, pageOf, type Page } from "../http/page";
import { featureFilter } from "../usage/feature-scope";
import type { ListPromptsQuery, ListVersionsQuery } from "./schemas";
import { TemplateMessageSchema, VariableSchema, type TemplateMessage, type Variable } from "./template";

export type PromptCaller = Pick<AuthContext, "tenantId" | "keyId" | "features">;

const PromptRowSchema = z.object({
  id: z.string(),
  description: z.string(),
  feature: z.string().nullable(),
  latest_version: z.number(),
  created_at: z.number(),
  created_by: z.string(),
  updated_at: z.number(),
});
export type PromptRow = z.infer<typeof PromptRowSchema>;

const LabelRowSchema = z.object({
  prompt_id: z.string(),
  label: z.string(),
  version: z.number(),
  previous_version: z.number().nullable(),
  updated_at: z.number(),
  updated_by: z.string(),
});

const VersionRowSchema = z.object({
  prompt_id: z.string(),
  version: z.number(),
  messages_json: z.string(),
  variables_json: z.string(),
  note: z.string(),
  created_at: z.number(),
  created_by: z.string(),
});

export interface LabelView {
  label: string;
  version: number;
  previousVersion: number | null;
  updatedAt: string;
  updatedBy: string;
}

export interface PromptView {
  id: string;
  description: string;
  feature: string | null;
  latestVersion: number;
  labels: LabelView[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface VersionView {
  promptId: string;
  version: number;
  note: string;
  messages: TemplateMessage[];
  variables: Variable[];
  /** Labels pointing at this version now. */
  labels: string[];
  createdAt: string;
  createdBy: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const visibleTo = (caller: PromptCaller, feature: string | null): boolean => caller.features === null || (feature !== null && caller.features.includes(feature));

const notFound = (id: string) => new GatewayError("not_found", `No prompt ${JSON.stringify(id)} for this key.`, { param: "id", code: "prompt_not_found" });

function labelView(r: z.infer<typeof LabelRowSchema>): LabelView {
  return { label: r.label, version: r.version, previousVersion: r.previous_version, updatedAt: iso(r.updated_at), updatedBy: r.updated_by };
}

function promptView(r: PromptRow, labels: LabelView[]): PromptView {
  return { id: r.id, description: r.description, feature: r.feature, latestVersion: r.latest_version, labels, createdAt: iso(r.created_at), createdBy: r.created_by, updatedAt: iso(r.updated_at) };
}

/** The prompt row if the caller may see it, else a 404. */
export async function promptRow(db: D1Database, caller: PromptCaller, id: string): Promise<PromptRow> {
  const raw = await db.prepare("SELECT * FROM prompts WHERE tenant_id = ?1 AND id = ?2").bind(caller.tenantId, id).first();
  const row = raw ? PromptRowSchema.parse(raw) : null;
  if (!row || !visibleTo(caller, row.feature)) throw notFound(id);
  return row;
}

async function labelsOf(db: D1Database, tenantId: string, ids: string[]): Promise<Map<string, LabelView[]>> {
  const out = new Map<string, LabelView[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const { results } = await db
    .prepare("SELECT * FROM prompt_labels WHERE tenant_id = ?1 AND prompt_id IN (SELECT value FROM json_each(?2)) ORDER BY prompt_id, label")
    .bind(tenantId, JSON.stringify(ids))
    .all();
  for (const r of z.array(LabelRowSchema).parse(results)) out.get(r.prompt_id)?.push(labelView(r));
  return out;
}

export async function getPrompt(db: D1Database, caller: PromptCaller, id: string): Promise<PromptView> {
  const row = await promptRow(db, caller, id);
  return promptView(row, (await labelsOf(db, caller.tenantId, [row.id])).get(row.id) ?? []);
}

export async function listPrompts(db: D1Database, caller: PromptCaller, query: ListPromptsQuery): Promise<Page<PromptView>> {
  const after = decodeCursor(query.cursor, z.string().max(64)) ?? "";
  // A tenant-wide prompt (feature NULL) is never IN a restricted key's list.
  const scope = featureFilter(caller.features, 5);
  const { results } = await db
    .prepare(`SELECT * FROM prompts WHERE tenant_id = ?1 AND id > ?2 AND (?3 IS NULL OR feature = ?3)${scope.sql} ORDER BY id LIMIT ?4`)
    .bind(caller.tenantId, after, query.feature ?? null, query.limit + 1, ...scope.binds)
    .all();
  const rows = z.array(PromptRowSchema).parse(results);
  const labels = await labelsOf(db, caller.tenantId, rows.slice(0, query.limit).map((r) => r.id));
  return pageOf(rows, query.limit, (r) => r.id, (r) => promptView(r, labels.get(r.id) ?? []));
}

function versionView(r: z.infer<typeof VersionRowSchema>, labels: string[]): VersionView {
  return {
    promptId: r.prompt_id,
    version: r.version,
    note: r.note,
    messages: z.array(TemplateMessageSchema).parse(JSON.parse(r.messages_json)),
    variables: z.array(VariableSchema).parse(JSON.parse(r.variables_json)),
    labels,
    createdAt: iso(r.created_at),
    createdBy: r.created_by,
  };
}

export async function getVersion(db: D1Database, caller: PromptCaller, id: string, version: number): Promise<VersionView> {
  const prompt = await promptRow(db, caller, id);
  const [versionRes, labelRes] = await db.batch([
    db.prepare("SELECT * FROM prompt_versions WHERE tenant_id = ?1 AND prompt_id = ?2 AND version = ?3").bind(caller.tenantId, prompt.id, version),
    db.prepare("SELECT label FROM prompt_labels WHERE tenant_id = ?1 AND prompt_id = ?2 AND version = ?3 ORDER BY label").bind(caller.tenantId, prompt.id, version),
  ]);
  const raw = versionRes?.results[0];
  if (!raw) throw new GatewayError("not_found", `Prompt ${JSON.stringify(id)} has no version ${version} (latest is ${prompt.latest_version}).`, { param: "version", code: "prompt_version_not_found" });
  const labels = z.array(z.object({ label: z.string() })).parse(labelRes?.results ?? []).map((l) => l.label);
  return versionView(VersionRowSchema.parse(raw), labels);
}

/** Newest first. Items carry the full template, so pages are kept small by the page size. */
export async function listVersions(db: D1Database, caller: PromptCaller, id: string, query: ListVersionsQuery): Promise<Page<VersionView>> {
  const prompt = await promptRow(db, caller, id);
  const before = decodeCursor(query.cursor, z.number().int().min(1)) ?? Number.MAX_SAFE_INTEGER;
  const [versionRes, labelRes] = await db.batch([
    db.prepare("SELECT * FROM prompt_versions WHERE tenant_id = ?1 AND prompt_id = ?2 AND version < ?3 ORDER BY version DESC LIMIT ?4").bind(caller.tenantId, prompt.id, before, query.limit + 1),
    db.prepare("SELECT label, version FROM prompt_labels WHERE tenant_id = ?1 AND prompt_id = ?2 ORDER BY label").bind(caller.tenantId, prompt.id),
  ]);
  const rows = z.array(VersionRowSchema).parse(versionRes?.results ?? []);
  const labels = z.array(z.object({ label: z.string(), version: z.number() })).parse(labelRes?.results ?? []);
  return pageOf(rows, query.limit, (r) => r.version, (r) => versionView(r, labels.filter((l) => l.version === r.version).map((l) => l.label)));
}

/** The version a label points at, or a 404 naming the labels that exist. */
export async function labelledVersion(db: D1Database, caller: PromptCaller, prompt: PromptRow, label: string): Promise<number> {
  const { results } = await db.prepare("SELECT label, version FROM prompt_labels WHERE tenant_id = ?1 AND prompt_id = ?2").bind(caller.tenantId, prompt.id).all();
  const rows = z.array(z.object({ label: z.string(), version: z.number() })).parse(results);
  const hit = rows.find((r) => r.label === label);
  if (hit) return hit.version;
  const known = rows.map((r) => r.label).sort();
  throw new GatewayError("not_found", `Prompt ${JSON.stringify(prompt.id)} has no label ${JSON.stringify(label)}${known.length ? ` (labels: ${known.join(", ")})` : " (it has no labels yet)"}.`, { param: "label", code: "prompt_label_not_found" });
}
