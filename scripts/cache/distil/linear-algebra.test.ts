import { describe, expect, it } from "vitest";
import { choleskySolve, crossProduct, gram, symmetricEigen } from "./linear-algebra";

describe("distillation linear algebra", () => {
  // A 3 x 2 matrix: its Gram matrix is [[35, 44], [44, 56]].
  const x = Float64Array.from([1, 2, 3, 4, 5, 6]);

  it("forms Gram and cross products", () => {
    expect(Array.from(gram(x, 2))).toEqual([35, 44, 44, 56]);
    expect(Array.from(crossProduct(x, 2, Float64Array.from([1, 0, 1]), 1))).toEqual([6, 8]);
  });

  it("finds eigenpairs of a symmetric matrix, largest first", () => {
    const a = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThan(values[1] ?? 0);
    expect(values[1]).toBeGreaterThan(values[2] ?? 0);
    expect((values[0] ?? 0) + (values[1] ?? 0) + (values[2] ?? 0)).toBeCloseTo(9, 10);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += (a[i * 3 + j] ?? 0) * (vectors[j * 3 + c] ?? 0);
        expect(av).toBeCloseTo((values[c] ?? 0) * (vectors[i * 3 + c] ?? 0), 10);
      }
    }
  });

  it("solves a positive definite system and refuses an indefinite one", () => {
    const s = Float64Array.from([4, 2, 2, 3]);
    const sol = choleskySolve(s, 2, Float64Array.from([6, 2, 5, 1]), 2);
    // Columns: [1, 1] and [0.5, 0].
    expect(Array.from(sol).map((v) => Number(v.toFixed(10)))).toEqual([1, 0.5, 1, 0]);
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), 2, Float64Array.from([1, 1]), 1)).toThrow(/positive definite/);
  });
});
