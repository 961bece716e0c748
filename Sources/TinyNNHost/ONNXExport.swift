import TinyNN

/// A TinyNN model as an ONNX file (opset ``opset``), so that Netron shows it
/// and onnxruntime runs it; ``ONNXImport`` reads it back to the same bits.
///
/// The graph is the one `torch.onnx.export` writes for `Linear` layers: the
/// input `input` `[N, n₀]`; with input scaling, an `ai.onnx.ml` `Scaler`
/// (`x′ = (x − offset)·scale`, the same two roundings); per layer a `Gemm`
/// with `transB=1` (weights `[out, in]`, TinyNN's own layout) and the bias,
/// then `Relu`, `LeakyRelu` (alpha = the layer's slope), `Sigmoid`, `Tanh` or
/// `Softmax` (axis −1), nothing for identity; the output `output` `[N, n_L]`.
/// Initializers are float32 `raw_data`, little-endian. The loss is not part
/// of the graph (import infers it from the output activation).
public enum ONNXExport {
    /// The default-domain opset the graph is written for (Softmax on the last axis needs 13).
    public static let opset: Int64 = 17
    /// The `ai.onnx.ml` opset, for `Scaler`.
    public static let mlOpset: Int64 = 1
    static let irVersion: Int64 = 8

    /// The `.onnx` file's bytes.
    /// - Parameter graphName: the graph's name (the model file's base name, say).
    public static func encode(_ model: Model, graphName: String) -> [UInt8] {
        let net = model.network, L = net.layerCount
        var nodes: [(inout ProtobufWriter) -> Void] = []
        var initializers: [(name: String, dims: [Int], values: [Float])] = []
        var value = "input"
        func next(_ name: String, last: Bool) -> String { last ? "output" : name }

        if model.scaling.kind != .none {
            let out = "/scaler/Scaler_output_0"
            let (v, offset, scale) = (value, model.scaling.offset, model.scaling.scale)
            nodes.append { w in
                node(&w, op: "Scaler", name: "/scaler/Scaler", inputs: [v], outputs: [out], domain: "ai.onnx.ml") { w in
                    floatsAttribute(&w, "offset", offset); floatsAttribute(&w, "scale", scale)
                }
            }
            value = out
        }
        for l in 0..<L {
            let a = net.activations[l], isLast = l == L - 1
            let weight = "layer\(l + 1).weight", bias = "layer\(l + 1).bias"
            initializers.append((weight, [net.widths[l + 1], net.widths[l]], net.weights(l)))
            initializers.append((bias, [net.widths[l + 1]], net.biases(l)))
            let gemmOut = next("/layer\(l + 1)/Gemm_output_0", last: isLast && a == .identity)
            let input = value
            nodes.append { w in
                node(&w, op: "Gemm", name: "/layer\(l + 1)/Gemm", inputs: [input, weight, bias], outputs: [gemmOut]) { w in
                    floatAttribute(&w, "alpha", 1); floatAttribute(&w, "beta", 1); intAttribute(&w, "transB", 1)
                }
            }
            value = gemmOut
            guard a != .identity else { continue }
            let op = switch a {
                case .sigmoid: "Sigmoid"; case .tanh: "Tanh"; case .relu: "Relu"; case .leakyReLU: "LeakyRelu"
                case .softmax: "Softmax"; case .identity: ""
            }
            let out = next("/layer\(l + 1)/\(op)_output_0", last: isLast), slope = net.leakySlopes[l], gemm = value
            nodes.append { w in
                node(&w, op: op, name: "/layer\(l + 1)/\(op)", inputs: [gemm], outputs: [out]) { w in
                    if a == .leakyReLU { floatAttribute(&w, "alpha", slope) }
                    if a == .softmax { intAttribute(&w, "axis", -1) }
                }
            }
            value = out
        }

        var m = ProtobufWriter()
        m.int(ONNXField.Model.irVersion, irVersion)
        m.string(ONNXField.Model.producerName, "tinynn")
        m.message(ONNXField.Model.graph) { g in
            for n in nodes { n(&g) }
            g.string(ONNXField.Graph.name, graphName)
            for t in initializers {
                g.message(ONNXField.Graph.initializer) { w in
                    for d in t.dims { w.int(ONNXField.Tensor.dims, Int64(d)) }
                    w.int(ONNXField.Tensor.dataType, ONNXField.DataType.float)
                    w.string(ONNXField.Tensor.name, t.name)
                    var raw: [UInt8] = []
                    raw.reserveCapacity(4 * t.values.count)
                    for f in t.values { for k in 0..<4 { raw.append(UInt8(truncatingIfNeeded: f.bitPattern >> (8 * UInt32(k)))) } }
                    w.data(ONNXField.Tensor.rawData, raw)
                }
            }
            valueInfo(&g, ONNXField.Graph.input, "input", width: net.inputCount)
            valueInfo(&g, ONNXField.Graph.output, "output", width: net.outputCount)
        }
        m.message(ONNXField.Model.opsetImport) { w in
            w.string(ONNXField.OperatorSetID.domain, ""); w.int(ONNXField.OperatorSetID.version, opset)
        }
        if model.scaling.kind != .none {
            m.message(ONNXField.Model.opsetImport) { w in
                w.string(ONNXField.OperatorSetID.domain, "ai.onnx.ml"); w.int(ONNXField.OperatorSetID.version, mlOpset)
            }
        }
        return m.bytes
    }

    static func node(_ w: inout ProtobufWriter, op: String, name: String, inputs: [String], outputs: [String],
                     domain: String = "", attributes: (inout ProtobufWriter) -> Void) {
        w.message(ONNXField.Graph.node) { n in
            for i in inputs { n.string(ONNXField.Node.input, i) }
            for o in outputs { n.string(ONNXField.Node.output, o) }
            n.string(ONNXField.Node.name, name)
            n.string(ONNXField.Node.opType, op)
            attributes(&n)
            if !domain.isEmpty { n.string(ONNXField.Node.domain, domain) }
        }
    }

    static func floatAttribute(_ w: inout ProtobufWriter, _ name: String, _ x: Float) {
        w.message(ONNXField.Node.attribute) { a in
            a.string(ONNXField.Attribute.name, name); a.float(ONNXField.Attribute.f, x)
            a.int(ONNXField.Attribute.type, ONNXField.AttributeType.float)
        }
    }

    static func intAttribute(_ w: inout ProtobufWriter, _ name: String, _ x: Int64) {
        w.message(ONNXField.Node.attribute) { a in
            a.string(ONNXField.Attribute.name, name); a.int(ONNXField.Attribute.i, x)
            a.int(ONNXField.Attribute.type, ONNXField.AttributeType.int)
        }
    }

    /// A FLOATS attribute, packed.
    static func floatsAttribute(_ w: inout ProtobufWriter, _ name: String, _ xs: [Float]) {
        w.message(ONNXField.Node.attribute) { a in
            a.string(ONNXField.Attribute.name, name)
            var packed: [UInt8] = []
            for f in xs { for k in 0..<4 { packed.append(UInt8(truncatingIfNeeded: f.bitPattern >> (8 * UInt32(k)))) } }
            a.data(ONNXField.Attribute.floats, packed)
            a.int(ONNXField.Attribute.type, ONNXField.AttributeType.floats)
        }
    }

    /// A float tensor value `[N, width]`, N symbolic.
    static func valueInfo(_ w: inout ProtobufWriter, _ field: Int, _ name: String, width: Int) {
        w.message(field) { v in
            v.string(ONNXField.ValueInfo.name, name)
            v.message(ONNXField.ValueInfo.type) { t in
                t.message(ONNXField.TypeProto.tensorType) { tt in
                    tt.int(ONNXField.TensorType.elemType, ONNXField.DataType.float)
                    tt.message(ONNXField.TensorType.shape) { s in
                        s.message(ONNXField.Shape.dim) { d in d.string(ONNXField.Dimension.param, "N") }
                        s.message(ONNXField.Shape.dim) { d in d.int(ONNXField.Dimension.value, Int64(width)) }
                    }
                }
            }
        }
    }
}
