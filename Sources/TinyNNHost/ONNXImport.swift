import TinyNN

/// An ONNX file TinyNN cannot import: the file and one line naming the node
/// (name and op type) or the field that is the reason.
public struct ONNXImportError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
    public init(file: String, problem: String) { self.file = file; self.problem = problem }
}

/// Turns an ONNX graph that is a chain of dense layers into a TinyNN
/// ``Model``: the graphs `torch.onnx.export` writes for `Linear` + activation
/// stacks (`Gemm` with `transB=1`, weights `[out,in]`), `tf2onnx` for Keras
/// `Dense` (`MatMul` with weights `[in,out]`, then `Add`), and `skl2onnx` for
/// `MLPClassifier` (an optional `Scaler` from a `StandardScaler`, `MatMul` +
/// `Add`, and a classifier head that is dropped).
///
/// Each dense layer computes `z = W·a + b` then `a = σ(z)`: a `Gemm`
/// `alpha·(A·Bᵀ) + beta·C` becomes `W = alpha·B` (`transB=1`) or
/// `alpha·Bᵀ`, `b = beta·C`; a following `Relu`, `LeakyRelu`, `Sigmoid`,
/// `Tanh` or `Softmax` is its σ (identity if none). Shape-only nodes
/// (`Identity`, `Cast` to float, `Flatten` at axis 1, `Reshape` to
/// `[N, width]`, `Constant`) pass through. Anything else is refused.
public enum ONNXImport {
    /// The ops of the scikit-learn classifier head that follow the network's output.
    static let headOps: Set<String> = ["ArgMax", "ZipMap", "ArrayFeatureExtractor", "Cast", "Reshape", "Sub", "Concat",
                                       "Identity"]
    public static let supportedOps = "Gemm, MatMul, Add, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Identity, Cast, Flatten,"
        + " Reshape, Constant, Scaler"

    /// Reads `path` and converts it.
    public static func load(_ path: String) throws(ONNXImportError) -> Model {
        let bytes: [UInt8]
        do { bytes = try FileIO.contents(of: path) } catch { throw ONNXImportError(file: path, problem: error.problem) }
        return try convert(bytes, file: path)
    }

    /// Parses and converts an ONNX file's bytes.
    public static func convert(_ bytes: [UInt8], file: String) throws(ONNXImportError) -> Model {
        let onnx: ONNXModel
        do { onnx = try ONNXModel(bytes: bytes) } catch {
            throw ONNXImportError(file: file, problem: "not a readable ONNX file: \(error)")
        }
        var walk = GraphWalk(onnx)
        do { return try walk.run() } catch { throw ONNXImportError(file: file, problem: error.text) }
    }
}

struct ImportProblem: Error { var text: String; init(_ text: String) { self.text = text } }

/// One pass along the chain, from the graph's input to its output.
private struct GraphWalk {
    struct Layer {
        var w: [Float]; var b: [Float]; var inputs: Int; var outputs: Int; var activation: Activation?
        /// A `LeakyRelu`'s alpha, carried over bit for bit.
        var leakySlope = Activation.defaultLeakySlope
    }

    let onnx: ONNXModel
    var graph: ONNXGraph { onnx.graph }
    var constants: [String: ONNXTensor] = [:]
    var layers: [Layer] = []
    var scaling = FeatureScaling.none
    var notes: [String] = []
    var convertedDouble = false
    var foldedAlpha = false
    /// The chain value's number of dimensions (0: unknown); dense layers need 2.
    var rank = 0

    init(_ onnx: ONNXModel) { self.onnx = onnx }

    func describe(_ n: ONNXNode) -> String { "node '\(n.name)' (\(n.opType))" }

    mutating func floats(_ name: String, for node: ONNXNode) throws(ImportProblem) -> (values: [Float], dims: [Int64]) {
        guard let t = constants[name] else {
            throw ImportProblem("\(describe(node)): input '\(name)' is not an initializer or constant (only the chain's"
                                + " value may be computed)")
        }
        guard !t.isExternal else { throw ImportProblem("\(describe(node)): tensor '\(name)' is in an external data file") }
        guard let (values, fromDouble) = t.floatValues() else {
            throw ImportProblem("\(describe(node)): tensor '\(name)' has data type \(t.dataType) or data that do not match"
                                + " its dimensions \(t.dims)")
        }
        guard values.allSatisfy({ $0.isFinite }) else { throw ImportProblem("\(describe(node)): tensor '\(name)' holds NaN or infinity") }
        if fromDouble { convertedDouble = true }
        return (values, t.dims)
    }

    mutating func run() throws(ImportProblem) -> Model {
        for t in graph.initializers { constants[t.name] = t }
        var handled = Set<Int>()
        for (k, n) in graph.nodes.enumerated() where n.opType == "Constant" && n.domain.isEmpty {
            guard n.outputs.count == 1 else { throw ImportProblem("\(describe(n)): \(n.outputs.count) outputs") }
            if var t = n.attribute("value")?.t {
                t.name = n.outputs[0]; constants[n.outputs[0]] = t
            } else if let a = n.attribute("value_float") {
                var t = ONNXTensorValue.scalar(a.f); t.name = n.outputs[0]; constants[n.outputs[0]] = t
            } else if let a = n.attribute("value_ints") {
                var t = ONNXTensorValue.ints(a.ints); t.name = n.outputs[0]; constants[n.outputs[0]] = t
            } else {
                throw ImportProblem("\(describe(n)): only a tensor, value_float or value_ints constant is supported")
            }
            handled.insert(k)
        }
        let inputs = graph.inputs.filter { constants[$0.name] == nil }
        guard inputs.count == 1 else {
            throw ImportProblem("the graph has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", ")));"
                                + " a chain of dense layers has one")
        }
        let input = inputs[0]
        guard input.elementType == 1 || input.elementType == 11 else {
            throw ImportProblem("input '\(input.name)' has element type \(input.elementType), not float")
        }
        // Features per sample, if the dimensions after the first are known.
        var width: Int? = input.dims.count >= 2 ? input.dims.dropFirst().reduce(Optional(1)) { p, d in
            guard let p, let d, d >= 1, d < 1 << 24 else { return nil }
            return p * Int(d) < 1 << 24 ? p * Int(d) : nil
        } : nil
        rank = input.dims.count
        var consumers: [String: [Int]] = [:]
        for (k, n) in graph.nodes.enumerated() where !handled.contains(k) {
            for name in Set(n.inputs) where !name.isEmpty && constants[name] == nil { consumers[name, default: []].append(k) }
        }
        var current = input.name
        var reachedHead = false
        while true {
            let next = consumers[current, default: []].filter { !handled.contains($0) }
            if next.isEmpty { break }
            if next.contains(where: { ["ArgMax", "ZipMap", "Sub", "Concat"].contains(graph.nodes[$0].opType) }) {
                reachedHead = true
                break
            }
            guard next.count == 1 else {
                throw ImportProblem("\(describe(graph.nodes[next[1]])): the graph is not a chain ('\(current)' feeds"
                                    + " \(next.count) nodes)")
            }
            let n = graph.nodes[next[0]]
            guard n.outputs.count == 1, n.inputs.first == current || n.opType == "Add" else {
                throw ImportProblem("\(describe(n)): not supported here (\(n.outputs.count) outputs, or the chain's value"
                                    + " is not its first input)")
            }
            try step(n, width: &width)
            handled.insert(next[0])
            current = n.outputs[0]
        }
        guard !layers.isEmpty else { throw ImportProblem("the graph has no dense layer (\(ONNXImport.supportedOps))") }
        guard layers.count <= NetworkView.maxLayers else {
            throw ImportProblem("\(layers.count) dense layers; TinyNN takes 1 to \(NetworkView.maxLayers)")
        }
        let rest = graph.nodes.indices.filter { !handled.contains($0) }
        if reachedHead {
            try checkHead(rest.map { graph.nodes[$0] }, output: current)
        } else if let k = rest.first {
            throw ImportProblem("\(describe(graph.nodes[k])): not on the chain of dense layers (not supported)")
        } else if !graph.outputs.contains(where: { $0.name == current }) {
            throw ImportProblem("the chain ends at '\(current)', which is not an output of the graph")
        }
        if convertedDouble { notes.append("float64 initializers converted to float32 (rounded to nearest)") }
        if foldedAlpha { notes.append("Gemm alpha/beta folded into the weights and biases") }
        if layers.last!.activation == nil && layers.last!.outputs > 1 {
            notes.append("the output layer has no activation (logits): predict's class is the largest; the loss is"
                         + " quadratic on these outputs")
        }

        let widths = [layers[0].inputs] + layers.map(\.outputs)
        let activations = layers.map { $0.activation ?? .identity }
        let last = activations.last!
        let loss: Loss = last == .softmax ? .crossEntropy : last == .sigmoid && widths.last! == 1 ? .binaryCrossEntropy : .quadratic
        let network: Network
        do { network = try Network(widths: widths, activations: activations, loss: loss) } catch {
            throw ImportProblem("the layers do not make a TinyNN network: \(error)")
        }
        for (l, layer) in layers.enumerated() {
            try! network.setParameters(layer: l, weights: layer.w, biases: layer.b)
            do { try network.setLeakySlope(layer.leakySlope, layer: l) } catch {
                throw ImportProblem("layer \(l + 1): \(error)")
            }
        }
        var training = TrainingRecord.untrained
        training.classCount = widths.last! == 1 ? 2 : widths.last!
        let provenance = Provenance(producer: onnx.producerName.isEmpty ? "unknown" : onnx.producerName,
                                    producerVersion: onnx.producerVersion,
                                    notes: ["ONNX opset \(onnx.opsetVersion), graph '\(graph.name)'"] + notes)
        return Model(network: network, scaling: scaling, training: training, provenance: provenance)
    }

    /// One node of the chain.
    mutating func step(_ n: ONNXNode, width: inout Int?) throws(ImportProblem) {
        let known = n.domain.isEmpty || n.domain == "ai.onnx" || (n.domain == "ai.onnx.ml" && n.opType == "Scaler")
        guard known else { throw ImportProblem("\(describe(n)): op of domain '\(n.domain)' not supported") }
        func int(_ name: String, _ fallback: Int64) -> Int64 { n.attribute(name)?.i ?? fallback }
        func float(_ name: String, _ fallback: Float) -> Float { n.attribute(name)?.f ?? fallback }
        switch n.opType {
        case "Identity":
            break
        case "Cast":
            guard int("to", 0) == 1 else { throw ImportProblem("\(describe(n)): casts to data type \(int("to", 0)), not float") }
        case "Flatten":
            guard int("axis", 1) == 1 else { throw ImportProblem("\(describe(n)): axis \(int("axis", 1)); only 1 keeps [N, features]") }
            rank = 2
        case "Reshape":
            guard n.inputs.count == 2 else { throw ImportProblem("\(describe(n)): needs a shape input") }
            let (shape, _) = try floats(n.inputs[1], for: n)
            guard shape.count == 2, shape[1] >= 1, width == nil || Int(shape[1]) == width! else {
                throw ImportProblem("\(describe(n)): reshapes to \(shape.map { Int($0) }), not [N, \(width.map(String.init) ?? "width")]")
            }
            width = Int(shape[1])
            rank = 2
        case "Scaler":
            guard layers.isEmpty, let w = width else {
                throw ImportProblem("\(describe(n)): only before the first layer and with a known input width")
            }
            let offset = n.attribute("offset")?.floats ?? [0], scale = n.attribute("scale")?.floats ?? [1]
            guard [1, w].contains(offset.count), [1, w].contains(scale.count),
                  (offset + scale).allSatisfy({ $0.isFinite }) else {
                throw ImportProblem("\(describe(n)): offset/scale of \(offset.count)/\(scale.count) values for \(w) features")
            }
            scaling = FeatureScaling(kind: .standard, offset: offset.count == 1 ? Array(repeating: offset[0], count: w) : offset,
                                     scale: scale.count == 1 ? Array(repeating: scale[0], count: w) : scale)
        case "Gemm", "MatMul":
            let gemm = n.opType == "Gemm"
            guard rank == 2 || rank == 0 else {
                throw ImportProblem("\(describe(n)): its input has \(rank) dimensions, not [N, features] (no Flatten before it)")
            }
            rank = 2
            guard n.inputs.count >= 2 else { throw ImportProblem("\(describe(n)): needs two inputs") }
            if gemm && int("transA", 0) != 0 { throw ImportProblem("\(describe(n)): transA=1 is not supported") }
            let transB = gemm ? int("transB", 0) : 0
            guard transB == 0 || transB == 1 else { throw ImportProblem("\(describe(n)): transB=\(transB)") }
            let (B, dims) = try floats(n.inputs[1], for: n)
            guard dims.count == 2 else { throw ImportProblem("\(describe(n)): weights '\(n.inputs[1])' have dims \(dims), not 2-D") }
            let (inputs, outputs) = transB == 1 ? (Int(dims[1]), Int(dims[0])) : (Int(dims[0]), Int(dims[1]))
            guard inputs >= 1, outputs >= 1, width == nil || width! == inputs else {
                throw ImportProblem("\(describe(n)): weights \(dims) take \(inputs) inputs, the chain has \(width!)")
            }
            let alpha = gemm ? float("alpha", 1) : 1, beta = gemm ? float("beta", 1) : 1
            if alpha != 1 || beta != 1 { foldedAlpha = true }
            var w = [Float](repeating: 0, count: inputs * outputs)
            for j in 0..<outputs {
                for k in 0..<inputs {
                    let v = transB == 1 ? B[j * inputs + k] : B[k * outputs + j]
                    w[j * inputs + k] = alpha == 1 ? v : alpha * v
                }
            }
            var b = [Float](repeating: 0, count: outputs)
            if gemm && n.inputs.count >= 3 && !n.inputs[2].isEmpty {
                let (c, _) = try floats(n.inputs[2], for: n)
                guard c.count == 1 || c.count == outputs else {
                    throw ImportProblem("\(describe(n)): bias '\(n.inputs[2])' has \(c.count) values for \(outputs) outputs")
                }
                b = (0..<outputs).map { j in beta == 1 ? c[c.count == 1 ? 0 : j] : beta * c[c.count == 1 ? 0 : j] }
            }
            layers.append(Layer(w: w, b: b, inputs: inputs, outputs: outputs, activation: nil))
            width = outputs
        case "Add":
            guard n.inputs.count == 2, let last = layers.indices.last, layers[last].activation == nil else {
                throw ImportProblem("\(describe(n)): an Add that is not the bias of a MatMul or Gemm")
            }
            let other = n.inputs[0] == n.inputs[1] ? "" : constants[n.inputs[0]] != nil ? n.inputs[0] : n.inputs[1]
            let (c, _) = try floats(other, for: n)
            let outputs = layers[last].outputs
            guard c.count == 1 || c.count == outputs else {
                throw ImportProblem("\(describe(n)): bias '\(other)' has \(c.count) values for \(outputs) outputs")
            }
            for j in 0..<outputs { layers[last].b[j] += c[c.count == 1 ? 0 : j] }
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax":
            guard let last = layers.indices.last, layers[last].activation == nil else {
                throw ImportProblem("\(describe(n)): an activation that follows no dense layer (TinyNN applies one per layer)")
            }
            let a: Activation
            switch n.opType {
            case "Relu": a = .relu
            case "Sigmoid": a = .sigmoid
            case "Tanh": a = .tanh
            case "LeakyRelu":
                let alpha = float("alpha", 0.01)
                guard alpha.isFinite else { throw ImportProblem("\(describe(n)): alpha \(alpha) is not a finite number") }
                layers[last].leakySlope = alpha
                a = .leakyReLU
            default:
                let axis = int("axis", onnx.opsetVersion >= 13 ? -1 : 1)
                guard axis == 1 || axis == -1 else { throw ImportProblem("\(describe(n)): axis \(axis); only the last axis") }
                a = .softmax
            }
            layers[last].activation = a
        default:
            throw ImportProblem("\(describe(n)): not supported (TinyNN imports \(ONNXImport.supportedOps))")
        }
    }

    /// Checks that what follows the network is scikit-learn's classifier
    /// head (labels, the probability map, and for two classes `[1 − p, p]`)
    /// and notes that it was dropped.
    mutating func checkHead(_ rest: [ONNXNode], output: String) throws(ImportProblem) {
        for n in rest where !ONNXImport.headOps.contains(n.opType) {
            throw ImportProblem("\(describe(n)): not on the chain of dense layers, nor part of a classifier head (not supported)")
        }
        let outputs = layers.last!.outputs
        if let sub = rest.first(where: { $0.opType == "Sub" }) {
            guard outputs == 1, layers.last!.activation == .sigmoid, sub.inputs.count == 2, sub.inputs[1] == output,
                  let (one, _) = try? floats(sub.inputs[0], for: sub), one == [1] else {
                throw ImportProblem("\(describe(sub)): a Sub that is not the binary head's 1 − p")
            }
            notes.append("dropped the classifier head (ArgMax, ZipMap, labels; for two classes [1 - p, p]):"
                         + " the output is p, the probability of class 1")
        } else {
            notes.append("dropped the classifier head (ArgMax, ZipMap, labels): the outputs are the class probabilities")
        }
        if let labels = rest.first(where: { $0.opType == "ZipMap" })?.attribute("classlabels_int64s")?.ints,
           labels != (0..<Int64(labels.count)).map({ $0 }) {
            notes.append("class labels \(labels.map(String.init).joined(separator: ",")): TinyNN predicts their index")
        }
    }
}

/// Tensors a `Constant` node's scalar attributes stand for.
enum ONNXTensorValue {
    static func scalar(_ f: Float) -> ONNXTensor {
        var t = ONNXTensor(); t.dataType = ONNXField.DataType.float; t.floatData = [f]; return t
    }
    static func ints(_ values: [Int64]) -> ONNXTensor {
        var t = ONNXTensor(); t.dataType = ONNXField.DataType.int64; t.dims = [Int64(values.count)]; t.int64Data = values; return t
    }
}
