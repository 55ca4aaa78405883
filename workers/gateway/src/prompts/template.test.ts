import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTemplate, MAX_RENDERED_CHARS, parseValues, placeholders, render, VariableSchema, type TemplateMessage, type Variable } from "./template";

const vars = (...decls: unknown[]): Variable[] => decls.map((d) => VariableSchema.parse(d));
const user = (content: string): TemplateMessage[] => [{ role: "user", content }];

function renderWith(messages: TemplateMessage[], variables: Variable[], values: Record<string, unknown>) {
  const parsed = parseValues(variables, values);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return render(messages, parsed.values);
}

describe("template syntax", () => {
  it("renders declared variables, with or without spaces inside the braces", () => {
    const v = vars({ name: "name" }, { name: "n", type: "integer" });
    expect(renderWith(user("Hi {{name}}, you have {{ n }} new messages."), v, { name: "Ada", n: 3 })).toEqual(user("Hi Ada, you have 3 new messages."));
  });

  it("writes \\{{ as a literal {{ and leaves a lone }} alone", () => {
    expect(renderWith(user("Use \\{{x}} syntax }} {{a}}"), vars({ name: "a" }), { a: "ok" })).toEqual(user("Use {{x}} syntax }} ok"));
  });

  it("finds stray {{ at authoring time, with its offset", () => {
    expect(placeholders("ok {{ 1bad }}").error).toEqual({ offset: 3 });
    const problems = checkTemplate(user("Dear {{name"), vars({ name: "name" }));
    expect(problems.map((p) => p.message).join(" ")).toMatch(/offset 5/);
  });

  it("refuses undeclared placeholders, unused and duplicate declarations", () => {
    const problems = checkTemplate(user("{{a}} {{b}}"), vars({ name: "a" }, { name: "c" }, { name: "a" }));
    const text = problems.map((p) => `${p.path.join(".")}: ${p.message}`);
    expect(text).toEqual(expect.arrayContaining([
      "variables.2.name: variable \"a\" is declared twice",
      "messages.0.content: {{b}} is not a declared variable",
      "variables.1.name: variable \"c\" is declared but never used",
    ]));
  });

  it("never expands a value a second time (a value holding {{x}} stays text)", () => {
    const v = vars({ name: "a" }, { name: "b" });
    expect(renderWith(user("{{a}}|{{b}}"), v, { a: "{{b}}", b: "B" })).toEqual(user("{{b}}|B"));
  });
});

describe("variable values", () => {
  const v = vars(
    { name: "name", maxLength: 5 },
    { name: "count", type: "integer" },
    { name: "tone", type: "enum", values: ["formal", "casual"], required: false, default: "formal" },
    { name: "note", required: false },
  );

  it("fills defaults and renders a missing optional variable without a default as empty", () => {
    const r = parseValues(v, { name: "Ada", count: 2 });
    expect(r.ok && Object.fromEntries(r.values)).toEqual({ name: "Ada", count: 2, tone: "formal", note: "" });
  });

  it("names missing, unknown and mistyped values", () => {
    const problem = (values: Record<string, unknown>) => {
      const r = parseValues(v, values);
      return r.ok ? null : r.problem;
    };
    expect(problem({ count: 1 })).toMatchObject({ path: ["name"], message: expect.stringContaining("missing required variable(s) name") });
    expect(problem({ name: "a", count: 1, nmae: "x" })?.message).toMatch(/unknown variable\(s\) nmae \(this version declares: name, count, tone, note\)/);
    expect(problem({ name: "a", count: 1.5 })).toMatchObject({ path: ["count"], message: expect.stringContaining("expected integer") });
    expect(problem({ name: "toolong", count: 1 })?.path).toEqual(["name"]);
    expect(problem({ name: "a", count: 1, tone: "rude" })?.path).toEqual(["tone"]);
  });

  it("refuses a declaration whose default does not fit its type, and enums without values", () => {
    expect(VariableSchema.safeParse({ name: "n", type: "integer", default: "x" }).success).toBe(false);
    expect(VariableSchema.safeParse({ name: "e", type: "enum" }).success).toBe(false);
    expect(VariableSchema.safeParse({ name: "1x" }).success).toBe(false);
  });

  it("refuses a render that would exceed the size bound before building it", () => {
    const big = vars({ name: "x", maxLength: 200_000 });
    const text = Array.from({ length: 10 }, () => "{{x}}").join("");
    expect(renderWith(user(text), big, { x: "y".repeat(MAX_RENDERED_CHARS / 10) })).toBeNull();
  });
});

describe("rendering, property-based", () => {
  const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
  it("inserts each value verbatim exactly where its placeholder was, and nothing else changes", () => {
    fc.assert(
      fc.property(fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }), fc.array(fc.string({ maxLength: 20 }), { minLength: 4, maxLength: 4 }), fc.array(fc.string({ maxLength: 20 }), { minLength: 5, maxLength: 5 }), (names, values, glue) => {
        // Literal text without braces or backslashes, so the expected string is a plain join.
        const clean = glue.map((g) => g.replace(/[{}\\]/g, ""));
        const template = clean.slice(0, names.length).map((g, i) => `${g}{{${names[i]}}}`).join("") + clean[4];
        const variables = vars(...names.map((name) => ({ name })));
        expect(checkTemplate(user(template), variables)).toEqual([]);
        const valueOf = Object.fromEntries(names.map((n, i) => [n, values[i] as string]));
        const expected = clean.slice(0, names.length).map((g, i) => `${g}${values[i]}`).join("") + clean[4];
        expect(renderWith(user(template), variables, valueOf)).toEqual(user(expected));
      }),
    );
  });

  it("never throws on any template text: it is sound or it gets problems", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const names = placeholders(text).names;
        const problems = checkTemplate(user(text), vars(...[...new Set(names)].map((name) => ({ name }))));
        if (problems.length === 0) expect(render(user(text), new Map(names.map((n) => [n, "v"])))).not.toBeNull();
      }),
    );
  });
});
