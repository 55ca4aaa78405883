/** Adam for one parameter tensor; `rows` limits an update to touched rows of a sparse layer (lazy Adam). */
export class AdamTensor {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly t: Int32Array;

  constructor(
    private readonly param: Float32Array,
    private readonly rowLen: number,
  ) {
    this.m = new Float32Array(param.length);
    this.v = new Float32Array(param.length);
    this.t = new Int32Array(Math.ceil(param.length / rowLen));
  }

  step(grad: Float32Array, lr: number, decay: number, rows?: Iterable<number>): void {
    const all = rows ?? Array.from({ length: this.t.length }, (_, i) => i);
    for (const r of all) {
      const t = ++this.t[r]!;
      const c1 = 1 - 0.9 ** t;
      const c2 = 1 - 0.999 ** t;
      for (let k = r * this.rowLen; k < (r + 1) * this.rowLen; k++) {
        const g = grad[k]! + decay * this.param[k]!;
        this.m[k] = 0.9 * this.m[k]! + 0.1 * g;
        this.v[k] = 0.999 * this.v[k]! + 0.001 * g * g;
        this.param[k]! -= (lr * (this.m[k]! / c1)) / (Math.sqrt(this.v[k]! / c2) + 1e-8);
        grad[k] = 0;
      }
    }
  }
}
