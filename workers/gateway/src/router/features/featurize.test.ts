import { describe, expect, it } from "vitest";
import { FEATURE_DIM, HASH_DIM, featurize, featurizeSparse, turnCount } from "./featurize";
import { NUMERIC_FEATURES } from "./numeric";

const num = (v: Float32Array, name: (typeof NUMERIC_FEATURES)[number]): number => v[HASH_DIM + NUMERIC_FEATURES.indexOf(name)]!;

describe("featurize", () => {
  it("is deterministic and has the spec's dimension", () => {
    const a = featurize({ prompt: "Explain how DNS works." });
    const b = featurize({ prompt: "Explain how DNS works." });
    expect(a.length).toBe(FEATURE_DIM);
    expect([...a]).toEqual([...b]);
  });

  it("folds case and accents so equivalent spellings hash alike", () => {
    expect([...featurize({ prompt: "Explicá el álgebra" }).slice(0, HASH_DIM)]).toEqual([...featurize({ prompt: "explica el algebra" }).slice(0, HASH_DIM)]);
  });

  it("measures arithmetic load, code and constraints", () => {
    const math = featurize({ prompt: "A bag has 12 red and 7 blue balls; 3 are drawn. What is P(2 red) = ? Show 2 steps." });
    const chat = featurize({ prompt: "hello there" });
    expect(num(math, "number_count")).toBeGreaterThan(num(chat, "number_count"));
    expect(num(math, "operator_count")).toBeGreaterThan(0);
    const code = featurize({ prompt: "```python\ndef f(x):\n    return x.strip()\n```" });
    expect(num(code, "code_markers")).toBeGreaterThan(0.5);
    const constrained = featurize({ prompt: "Answer in exactly three bullets, must include two examples, without jargon" });
    expect(num(constrained, "constraint_words")).toBeGreaterThan(num(chat, "constraint_words"));
    expect(num(chat, "very_short")).toBe(1);
  });

  it("guesses the language from stopwords", () => {
    expect(num(featurize({ prompt: "¿Cuál es la capital de Perú y por qué es importante para la región?" }), "lang_es")).toBeGreaterThan(0.5);
    expect(num(featurize({ prompt: "Was ist der Unterschied zwischen der Katze und dem Hund?" }), "lang_de")).toBeGreaterThan(0.5);
  });

  it("sees earlier turns only through the context features", () => {
    const context = "user: hi\nassistant: hello\nuser: more\nassistant: ok";
    expect(turnCount(context)).toBe(3);
    const withCtx = featurize({ prompt: "continue", context });
    expect(num(withCtx, "log_turns")).toBeGreaterThan(0);
    expect(num(featurize({ prompt: "continue" }), "log_turns")).toBe(0);
  });

  it("featurizeSparse is featurize's non-zero entries in index order, call after call", () => {
    const inputs = [
      { prompt: "Explain how DNS works." },
      { prompt: "A bag has 12 red and 7 blue balls; 3 are drawn. What is P(2 red)?", context: "user: hi\nassistant: hello" },
      { prompt: "Traduce al inglés: «buenos días, ¿cómo estás?»" },
      { prompt: "" },
      { prompt: "def f(x):\n    return x * 2\n" + "word ".repeat(3000) },
      { prompt: "Explain how DNS works." },
    ];
    for (const input of inputs) {
      const dense = featurize(input);
      const index = [...dense.keys()].filter((i) => dense[i] !== 0);
      const sparse = featurizeSparse(input);
      expect([...sparse.index]).toEqual(index);
      expect([...sparse.value]).toEqual(index.map((i) => dense[i]));
    }
  });

  it("truncates very long prompts but still reports their full length", () => {
    const long = featurize({ prompt: "word ".repeat(10_000) });
    expect(num(long, "log_chars")).toBeGreaterThan(0.9);
  });
});
