/**
 * Writes the trained network as an ONNX model (opset 13) with onnx-proto. The input is sparse,
 * as the features are (a few dozen non-zero of ~4,000): `feature_index` int32 [K] and
 * `feature_value` float32 [1, K]. Graph:
 *   h          = Relu(MatMul(value, Gather(W1, index)) + b1)
 *   intent     = Softmax(Gemm(h, W2, b2), axis=1)                       -> "intent_probs" [1, 12]
 *   complexity = Sigmoid(Gemm(h, W3, b3) + MatMul(value, Gather(V, index))) -> "complexity" [1, 1]
 * which equals the dense network on the full vector but touches K rows of W1 instead of all of
 * them. Names are the contract with workers/gateway/src/router/model/ (ROUTER_MODEL_IO).
 */
import * as onnxNs from "onnx-proto";
import type { MlpWeights } from "./mlp";

// onnx-proto is CommonJS: under Node ESM its exports sit on `default`; bundlers expose them directly.
const { onnx } = (onnxNs as unknown as { default?: typeof onnxNs }).default ?? onnxNs;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;

function tensor(name: string, dims: number[], data: Float32Array): InstanceType<typeof onnx.TensorProto> {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: bytes });
}

function valueInfo(name: string, dims: (number | string)[], elemType: number = FLOAT): InstanceType<typeof onnx.ValueInfoProto> {
  const dim = dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

function node(opType: string, input: string[], output: string[], attrs: Record<string, number> = {}): InstanceType<typeof onnx.NodeProto> {
  const attribute = Object.entries(attrs).map(([name, i]) => onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT }));
  return onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });
}

export function exportOnnx(w: MlpWeights, docString: string): Uint8Array {
  const { inputDim: D, hidden: H, classes: C } = w;
  const graph = onnx.GraphProto.create({
    name: "router",
    node: [
      node("Gather", ["W1", "feature_index"], ["w1_rows"], { axis: 0 }),
      node("MatMul", ["feature_value", "w1_rows"], ["h_lin"]),
      node("Add", ["h_lin", "b1"], ["h_pre"]),
      node("Relu", ["h_pre"], ["h"]),
      node("Gemm", ["h", "W2", "b2"], ["intent_logits"]),
      node("Softmax", ["intent_logits"], ["intent_probs"], { axis: 1 }),
      node("Gemm", ["h", "W3", "b3"], ["c_deep"]),
      node("Gather", ["V", "feature_index"], ["v_rows"], { axis: 0 }),
      node("MatMul", ["feature_value", "v_rows"], ["c_wide"]),
      node("Add", ["c_deep", "c_wide"], ["c_logit"]),
      node("Sigmoid", ["c_logit"], ["complexity"]),
    ],
    initializer: [
      tensor("W1", [D, H], w.w1),
      tensor("b1", [H], w.b1),
      tensor("W2", [H, C], w.w2),
      tensor("b2", [C], w.b2),
      tensor("W3", [H, 1], w.w3),
      tensor("b3", [1], w.b3),
      tensor("V", [D, 1], w.v),
    ],
    input: [valueInfo("feature_index", ["K"], INT32), valueInfo("feature_value", [1, "K"])],
    output: [valueInfo("intent_probs", [1, C]), valueInfo("complexity", [1, 1])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: "edge-llm-gateway/router:train",
    opsetImport: [{ domain: "", version: 13 }],
    docString,
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Reads the weights back from an exported file: the Node/TS reference the Worker is tested against. */
export function importOnnx(bytes: Uint8Array): MlpWeights {
  const model = onnx.ModelProto.decode(bytes);
  const get = (name: string): { dims: number[]; data: Float32Array } => {
    const t = model.graph?.initializer?.find((i) => i.name === name);
    if (!t?.rawData) throw new Error(`router model: missing initializer ${name}`);
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const data = Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    return { dims: (t.dims ?? []).map(Number), data };
  };
  const w1 = get("W1");
  const w2 = get("W2");
  return { inputDim: w1.dims[0]!, hidden: w1.dims[1]!, classes: w2.dims[1]!, w1: w1.data, b1: get("b1").data, w2: w2.data, b2: get("b2").data, w3: get("W3").data, b3: get("b3").data, v: get("V").data };
}
