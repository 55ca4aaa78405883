/** Dense symmetric linear algebra for the distillation fit (a few hundred dimensions, float64, row-major). */

/** Xᵀ X of an n x d row-major matrix (upper triangle accumulated, then mirrored). */
export function gram(x: Float64Array, d: number): Float64Array {
  const n = x.length / d;
  const g = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    for (let i = 0; i < d; i++) {
      const xi = row[i] ?? 0;
      if (xi === 0) continue;
      const gi = i * d;
      for (let j = i; j < d; j++) g[gi + j] = (g[gi + j] ?? 0) + xi * (row[j] ?? 0);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) g[i * d + j] = g[j * d + i] ?? 0;
  return g;
}

/** Xᵀ Y for row-major X (n x dx) and Y (n x dy). */
export function crossProduct(x: Float64Array, dx: number, y: Float64Array, dy: number): Float64Array {
  const n = x.length / dx;
  const out = new Float64Array(dx * dy);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < dx; i++) {
      const xi = x[r * dx + i] ?? 0;
      if (xi === 0) continue;
      for (let j = 0; j < dy; j++) out[i * dy + j] = (out[i * dy + j] ?? 0) + xi * (y[r * dy + j] ?? 0);
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric d x d matrix by cyclic Jacobi rotations (exact to rounding,
 * no convergence tuning): eigenvalues descending, eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  // Eigenvectors kept as rows while rotating (contiguous), returned as columns.
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (const x of m) total += x * x;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += (m[p * d + q] ?? 0) ** 2;
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) rotate(m, v, d, p, q);
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => (m[j * d + j] ?? 0) - (m[i * d + i] ?? 0));
  const values = Float64Array.from(order, (i) => m[i * d + i] ?? 0);
  const vectors = new Float64Array(d * d);
  order.forEach((src, col) => {
    for (let r = 0; r < d; r++) vectors[r * d + col] = v[src * d + r] ?? 0;
  });
  return { values, vectors };
}

function rotate(m: Float64Array, vt: Float64Array, d: number, p: number, q: number): void {
  const apq = m[p * d + q] ?? 0;
  if (apq === 0) return;
  const app = m[p * d + p] ?? 0;
  const aqq = m[q * d + q] ?? 0;
  const theta = (aqq - app) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  // Rows p and q (contiguous), mirrored into the columns; the 2 x 2 block is set exactly.
  for (let k = 0; k < d; k++) {
    if (k === p || k === q) continue;
    const mpk = m[p * d + k] ?? 0;
    const mqk = m[q * d + k] ?? 0;
    const np = c * mpk - s * mqk;
    const nq = s * mpk + c * mqk;
    m[p * d + k] = np;
    m[q * d + k] = nq;
    m[k * d + p] = np;
    m[k * d + q] = nq;
  }
  m[p * d + p] = app - t * apq;
  m[q * d + q] = aqq + t * apq;
  m[p * d + q] = 0;
  m[q * d + p] = 0;
  rotateRows(vt, d, p, q, c, s);
}

function rotateRows(vt: Float64Array, d: number, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < d; k++) {
    const vp = vt[p * d + k] ?? 0;
    const vq = vt[q * d + k] ?? 0;
    vt[p * d + k] = c * vp - s * vq;
    vt[q * d + k] = s * vp + c * vq;
  }
}

/** Solves S X = B for symmetric positive definite S (d x d) and B (d x k), by Cholesky. */
export function choleskySolve(s: Float64Array, d: number, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s[i * d + j] ?? 0;
      for (let t = 0; t < j; t++) sum -= (l[i * d + t] ?? 0) * (l[j * d + t] ?? 0);
      if (i === j) {
        if (!(sum > 0)) throw new Error("choleskySolve: matrix not positive definite");
        l[i * d + i] = Math.sqrt(sum);
      } else l[i * d + j] = sum / (l[j * d + j] ?? 1);
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < d; i++) {
      let sum = x[i * k + c] ?? 0;
      for (let t = 0; t < i; t++) sum -= (l[i * d + t] ?? 0) * (x[t * k + c] ?? 0);
      x[i * k + c] = sum / (l[i * d + i] ?? 1);
    }
    for (let i = d - 1; i >= 0; i--) {
      let sum = x[i * k + c] ?? 0;
      for (let t = i + 1; t < d; t++) sum -= (l[t * d + i] ?? 0) * (x[t * k + c] ?? 0);
      x[i * k + c] = sum / (l[i * d + i] ?? 1);
    }
  }
  return x;
}
