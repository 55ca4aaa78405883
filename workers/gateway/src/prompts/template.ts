/**
 * The prompt template language, deliberately tiny: `{{ name }}` inserts a declared variable's
 * value, `\{{` writes a literal `{{`, and nothing else is special. No expressions, conditionals,
 * loops, filters or lookups, so rendering cannot run code or read anything but the values the
 * request sent. Rendering is one left-to-right pass: a value that itself contains `{{x}}` is
 * inserted as text and never expanded again.
 *
 * Variables are declared with a type, and the values a request sends are checked by a zod
 * schema built from the declarations (missing, extra or mistyped values are a 400 naming them).
 * A template is checked when a version is created: every placeholder must be declared and every
 * declared variable used, so a typo fails at authoring time, not in production.
 */
import { z } from "zod";

export const MAX_TEMPLATE_MESSAGES = 64;
export const MAX_TEMPLATE_CHARS = 200_000;
export const MAX_PLACEHOLDERS = 256;
export const MAX_VARIABLES = 64;
/** Upper bound on one rendered prompt (template text plus inserted values). */
export const MAX_RENDERED_CHARS = 1_000_000;
const DEFAULT_MAX_LENGTH = 20_000;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// An escaped brace pair, or a placeholder, or any other `{{` (a syntax error at authoring time).
const TOKEN = /\\\{\{|\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}|\{\{/g;

const scalar = z.union([z.string().max(DEFAULT_MAX_LENGTH * 10), z.number().finite(), z.boolean()]);

export const VariableSchema = z
  .object({
    name: z.string().regex(IDENT, "variable names are letters, digits and _, not starting with a digit (at most 64)"),
    type: z.enum(["string", "number", "integer", "boolean", "enum"]).default("string"),
    description: z.string().max(500).optional(),
    /** The allowed values of an `enum` variable. */
    values: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    /** Longest string value accepted (strings and enums); default 20,000 characters. */
    maxLength: z.number().int().min(1).max(200_000).optional(),
    required: z.boolean().default(true),
    /** Used when an optional variable is not sent; an optional variable without one renders as "". */
    default: scalar.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === "enum" && !v.values) ctx.addIssue({ code: "custom", path: ["values"], message: "an enum variable lists its values" });
    if (v.type !== "enum" && v.values) ctx.addIssue({ code: "custom", path: ["values"], message: "only enum variables take values" });
    if (v.default !== undefined && !valueSchema(v).safeParse(v.default).success) {
      ctx.addIssue({ code: "custom", path: ["default"], message: `the default is not a valid ${v.type}` });
    }
  });
export type Variable = z.output<typeof VariableSchema>;

export const TemplateMessageSchema = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"]),
    content: z.string().max(MAX_TEMPLATE_CHARS),
  })
  .strict();
export type TemplateMessage = z.infer<typeof TemplateMessageSchema>;

export type VariableValue = string | number | boolean;

function valueSchema(v: Pick<Variable, "type" | "values" | "maxLength">): z.ZodType<VariableValue> {
  const max = v.maxLength ?? DEFAULT_MAX_LENGTH;
  switch (v.type) {
    case "number":
      return z.number().finite();
    case "integer":
      return z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
    case "boolean":
      return z.boolean();
    case "enum":
      return z.enum((v.values ?? []) as [string, ...string[]]);
    default:
      return z.string().max(max);
  }
}

export interface TemplateProblem {
  path: (string | number)[];
  message: string;
}

/** The variable names a text uses, or the first syntax problem (a stray `{{`). */
export function placeholders(text: string): { names: string[]; error: { offset: number } | null } {
  const names: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[0] === "\\{{") continue;
    if (m[1] === undefined) return { names, error: { offset: m.index } };
    names.push(m[1]);
  }
  return { names, error: null };
}

/** Authoring-time checks of a template against its declarations; [] when it is sound. */
export function checkTemplate(messages: readonly TemplateMessage[], variables: readonly Variable[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const declared = new Map<string, number>();
  variables.forEach((v, i) => {
    if (declared.has(v.name)) problems.push({ path: ["variables", i, "name"], message: `variable "${v.name}" is declared twice` });
    declared.set(v.name, i);
  });
  const used = new Set<string>();
  let count = 0;
  let chars = 0;
  messages.forEach((m, i) => {
    chars += m.content.length;
    const { names, error } = placeholders(m.content);
    if (error) problems.push({ path: ["messages", i, "content"], message: `"{{" at offset ${error.offset} does not start a placeholder {{name}} (write \\{{ for a literal "{{")` });
    for (const n of names) {
      count++;
      used.add(n);
      if (!declared.has(n)) problems.push({ path: ["messages", i, "content"], message: `{{${n}}} is not a declared variable` });
    }
  });
  for (const [name, i] of declared) if (!used.has(name)) problems.push({ path: ["variables", i, "name"], message: `variable "${name}" is declared but never used` });
  if (count > MAX_PLACEHOLDERS) problems.push({ path: ["messages"], message: `at most ${MAX_PLACEHOLDERS} placeholders per version` });
  if (chars > MAX_TEMPLATE_CHARS) problems.push({ path: ["messages"], message: `at most ${MAX_TEMPLATE_CHARS} characters of template text per version` });
  return problems;
}

/** Validates a request's values against the declarations; defaults fill optional ones. */
export function parseValues(variables: readonly Variable[], values: Record<string, unknown>): { ok: true; values: Map<string, VariableValue> } | { ok: false; problem: TemplateProblem } {
  const declared = new Set(variables.map((v) => v.name));
  const extra = Object.keys(values).filter((k) => !declared.has(k));
  if (extra.length > 0) {
    const known = variables.length ? variables.map((v) => v.name).join(", ") : "none";
    return { ok: false, problem: { path: [extra[0] as string], message: `unknown variable(s) ${extra.slice(0, 10).join(", ")} (this version declares: ${known})` } };
  }
  const missing = variables.filter((v) => v.required && values[v.name] === undefined).map((v) => v.name);
  if (missing.length > 0) return { ok: false, problem: { path: [missing[0] as string], message: `missing required variable(s) ${missing.join(", ")}` } };
  const out = new Map<string, VariableValue>();
  for (const v of variables) {
    const raw = values[v.name] ?? v.default;
    if (raw === undefined) {
      out.set(v.name, "");
      continue;
    }
    const parsed = valueSchema(v).safeParse(raw);
    if (!parsed.success) return { ok: false, problem: { path: [v.name], message: `${v.name}: ${parsed.error.issues[0]?.message ?? "invalid value"} (expected ${v.type})` } };
    out.set(v.name, parsed.data);
  }
  return { ok: true, values: out };
}

/**
 * Renders validated values into a (checked) template; null when the result would exceed
 * MAX_RENDERED_CHARS. The size is worked out before any string is built, so 256 placeholders
 * of one long value cannot make the Worker allocate hundreds of megabytes first.
 */
export function render(messages: readonly TemplateMessage[], values: ReadonlyMap<string, VariableValue>): TemplateMessage[] | null {
  const text = new Map([...values].map(([k, v]) => [k, String(v)]));
  let total = 0;
  for (const m of messages) {
    total += m.content.length;
    for (const n of placeholders(m.content).names) total += text.get(n)?.length ?? 0;
  }
  if (total > MAX_RENDERED_CHARS) return null;
  return messages.map((m) => ({
    role: m.role,
    content: m.content.replace(TOKEN, (token: string, name: string | undefined) => (name === undefined ? (token === "\\{{" ? "{{" : token) : (text.get(name) ?? ""))),
  }));
}
