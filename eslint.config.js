/**
 * ESLint (flat config) for every TypeScript file tsconfig.json type-checks: `npm run lint`.
 * typescript-eslint's recommended rules plus a few typed ones (type information from the same
 * tsconfig through the project service), where a mistake compiles but misbehaves: a promise
 * nobody awaits (a D1 write or queue send lost when the Worker returns), `any` leaking past a
 * zod boundary, value imports of types (kept out of the bundle by `import type`).
 */
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "dist/", ".wrangler/", ".tmp/", "**/worker-configuration.d.ts", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // `_name` marks a binding kept on purpose (a destructured field dropped from a copy).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" }],
      // The compiler already reports undefined names with the real globals of each runtime.
      "no-undef": "off",
      // Compact numeric loops use comma sequences (`if (v > best) (best = v), (arg = p);`), which
      // this rule always flags; tsc's TS2695 still reports a comma operand without side effects.
      "@typescript-eslint/no-unused-expressions": "off",
      // Text normalisers (guardrails, router features, logs) match control characters on purpose.
      "no-control-regex": "off",
      // Escapes such as `[\/]` or `[\[]` in the recognizers' character classes are harmless and read clearer.
      "no-useless-escape": "off",
    },
  },
  // The two Workers share code only through shared/ (issue 18 item 6): neither bundles the
  // other's internals. Tests and their support files may drive the other Worker (the gateway's
  // usage tests populate D1 through the evaluator's real consumer).
  ...[
    ["gateway", "evaluator"],
    ["evaluator", "gateway"],
  ].map(([self, other]) => ({
    files: [`workers/${self}/**/*.ts`],
    ignores: ["**/*.test.ts", "**/testing/**", "**/testing.ts", "**/test-fixtures.ts", "workers/gateway/src/usage/judged-store.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{
          regex: `(^|/)${other}/src(/|$)`,
          message: `The ${self} Worker may not import the ${other} Worker's internals: move what both need to shared/.`,
        }],
      }],
    },
  })),
);
