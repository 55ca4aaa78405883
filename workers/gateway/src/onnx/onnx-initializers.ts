/**
 * Reads float32 initializers (name, dims, data) straight from ONNX model bytes with a minimal
 * protobuf walker: ModelProto.graph (7) -> GraphProto.initializer (5) -> TensorProto
 * {dims (1), data_type (2), float_data (4), name (8), raw_data (9)}. Field numbers from
 * onnx/onnx.proto. Lets a pure-TS forward pass run a small model without ORT (fallback, or
 * where the 3.7 MB ORT wasm does not fit), and needs no protobuf library in the bundle.
 */
export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error("onnx: truncated varint");
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }

  /** Calls fn(field, wireType, start, end) for each field; [start, end) is the value (payload for length-delimited). */
  fields(fn: (field: number, wire: number, start: number, end: number) => void): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const wire = key & 7;
      let start = this.pos;
      if (wire === 0) this.varint();
      else if (wire === 1) this.pos += 8;
      else if (wire === 5) this.pos += 4;
      else if (wire === 2) {
        const len = this.varint();
        start = this.pos;
        this.pos += len;
      } else throw new Error(`onnx: unsupported wire type ${wire}`);
      fn(Math.floor(key / 8), wire, start, this.pos);
    }
  }
}

function floatsAt(buf: Uint8Array, start: number, end: number): Float32Array {
  const view = new DataView(buf.buffer, buf.byteOffset + start, end - start);
  return Float32Array.from({ length: (end - start) / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function readTensor(buf: Uint8Array, start: number, end: number): [string, FloatTensor] {
  let name = "";
  const dims: number[] = [];
  let data: Float32Array = new Float32Array(0);
  new Reader(buf, start, end).fields((field, wire, s, e) => {
    if (field === 8) name = new TextDecoder().decode(buf.subarray(s, e));
    else if (field === 1 && wire === 0) dims.push(new Reader(buf, s).varint());
    else if (field === 1 && wire === 2) for (const r = new Reader(buf, s, e); r.pos < e; ) dims.push(r.varint());
    else if (field === 9 || (field === 4 && wire === 2)) data = floatsAt(buf, s, e);
    else if (field === 2 && new Reader(buf, s).varint() !== 1) throw new Error("onnx: only float32 initializers are supported");
  });
  return [name, { dims, data }];
}

export function readFloatInitializers(model: ArrayBuffer | Uint8Array): Map<string, FloatTensor> {
  const buf = model instanceof Uint8Array ? model : new Uint8Array(model);
  const out = new Map<string, FloatTensor>();
  new Reader(buf).fields((field, wire, s, e) => {
    if (field !== 7 || wire !== 2) return;
    new Reader(buf, s, e).fields((gField, gWire, gs, ge) => {
      if (gField === 5 && gWire === 2) out.set(...readTensor(buf, gs, ge));
    });
  });
  return out;
}
