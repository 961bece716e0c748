import TinyNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a model cannot be quantized: one line, without the file names (the
/// command adds them).
public struct QuantizeError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Post-training quantization of a float model to int8 (``QuantizedModel``).
///
/// Weights: symmetric per output channel, `s_w[j] = max|W[j,·]|/127`. Biases:
/// int32 at `s_x·s_w[j]`, the input's zero point folded in. Activations: one
/// scale and zero point per tensor from the range they take on calibration
/// data (the input after the model's scaling; each layer's output, for
/// sigmoid and tanh their pre-activation, for softmax the logits), widened to
/// hold 0. Each candidate ``QuantizedModel/Calibration`` is tried and the one
/// with the better accuracy on the calibration data is kept (ties: the lower
/// mean squared error of the outputs against the float model's).
public enum Quantizer {
    /// One candidate's result on the calibration data.
    public struct Trial: Sendable {
        public var calibration: QuantizedModel.Calibration
        public var accuracy: Double
        public var meanSquaredError: Double
    }

    /// The int8 model of `model`, calibrated on `data` (raw features, as
    /// `train` reads them), and every candidate's result.
    public static func quantize(_ model: Model, calibration data: Dataset) throws(QuantizeError)
        -> (model: QuantizedModel, trials: [Trial])
    {
        guard model.quantized == nil else { throw QuantizeError("is already an int8 model; quantize the float model it came from") }
        guard data.featureCount == model.network.inputCount else {
            throw QuantizeError("has \(data.featureCount) features, the model takes \(model.network.inputCount)")
        }
        let scaled = model.scaling.apply(to: data)
        let observed = observe(model.network, scaled)
        var trials: [Trial] = [], best: (model: QuantizedModel, trial: Trial)? = nil
        for calibration in QuantizedModel.Calibration.allCases {
            let q = try build(model.network, observed, calibration)
            let (accuracy, mse) = measure(q, model.network, scaled)
            let trial = Trial(calibration: calibration, accuracy: accuracy, meanSquaredError: mse)
            trials.append(trial)
            if let b = best?.trial, accuracy < b.accuracy || (accuracy == b.accuracy && mse >= b.meanSquaredError) { continue }
            best = (q, trial)
        }
        return (best!.model, trials)
    }

    // MARK: - Calibration

    /// Every value of the tensors whose ranges are calibrated: the scaled
    /// input, then per layer its output (sigmoid, tanh, softmax: z).
    static func observe(_ net: Network, _ data: Dataset) -> [[Float]] {
        var tensors = [[Float]](repeating: [], count: net.layerCount + 1)
        tensors[0] = data.features
        net.withView { view in
            for s in 0..<data.count {
                _ = data.sample(s).withUnsafeBufferPointer { view.forward($0.baseAddress!) }
                for l in 0..<view.layerCount {
                    let layer = view[l]
                    let source = [.sigmoid, .tanh, .softmax].contains(net.activations[l]) ? layer.z : layer.a
                    tensors[l + 1].append(contentsOf: UnsafeBufferPointer(start: source, count: layer.outCount))
                }
            }
        }
        return tensors
    }

    /// Scale and zero point for values in `[lo, hi]` widened to hold 0.
    static func affine(_ values: [Float], _ calibration: QuantizedModel.Calibration, tensor: String) throws(QuantizeError)
        -> (scale: Double, zeroPoint: Int32)
    {
        var lo: Double, hi: Double
        switch calibration {
        case .minMax:
            lo = Double(values.min() ?? 0); hi = Double(values.max() ?? 0)
        case .percentile:
            let sorted = values.sorted()
            let n = sorted.count - 1
            lo = Double(sorted[Int((Double(n) * 0.0001).rounded(.down))])
            hi = Double(sorted[Int((Double(n) * 0.9999).rounded(.up))])
        }
        lo = min(lo, 0); hi = max(hi, 0)
        guard hi > lo else {
            throw QuantizeError("\(tensor) is 0 on every calibration sample: a range of zero cannot be quantized")
        }
        let scale = (hi - lo) / 255
        let zp = max(-128, min(127, (-128 - lo / scale).rounded()))
        return (scale, Int32(zp))
    }

    /// Q31 multipliers with one shared shift for the reals `m` (all ≥ 0).
    static func multipliers(_ m: [Double], layer: Int) throws(QuantizeError) -> (multiplier: [Int32], shift: Int32) {
        let largest = m.max() ?? 0
        guard largest > 0 else { return (m.map { _ in 0 }, 0) }
        var shift = Int32(log2(largest).rounded(.down)) + 1
        while true {
            let exponent = Double(31 - shift)
            let q = m.map { ($0 * pow(2, exponent)).rounded() }
            if q.allSatisfy({ $0 < 2_147_483_648 }) || shift >= 31 {
                guard shift <= 30 else { throw QuantizeError("layer \(layer): a requantization multiplier of \(largest) is too large") }
                if shift < -31 { shift = -31; continue }
                return (q.map { Int32($0) }, shift)
            }
            shift += 1
        }
    }

    static func build(_ net: Network, _ observed: [[Float]], _ calibration: QuantizedModel.Calibration) throws(QuantizeError)
        -> QuantizedModel
    {
        let input = try affine(observed[0], calibration, tensor: "the input")
        var sx = input.scale, zx = input.zeroPoint
        var layers: [QuantizedModel.Layer] = []
        var beta: Int32 = 0, threshold: Int32 = 0
        for l in 0..<net.layerCount {
            let n = net.widths[l], m = net.widths[l + 1], activation = net.activations[l]
            let W = net.weights(l), B = net.biases(l)
            var sw = (0..<m).map { j in Double(W[(j * n)..<((j + 1) * n)].map { abs($0) }.max()!) / 127 }
            let fallback = sw.filter { $0 > 0 }.min() ?? 1.0 / 127
            sw = sw.map { $0 > 0 ? $0 : fallback }
            var w = [Int8](repeating: 0, count: n * m), b = [Int32](repeating: 0, count: m)
            let limit = Double(1 << 30)
            for j in 0..<m {
                var sum: Int64 = 0
                for i in 0..<n {
                    let q = max(-127, min(127, (Double(W[j * n + i]) / sw[j]).rounded()))
                    w[j * n + i] = Int8(q); sum += Int64(q)
                }
                let bias = (Double(B[j]) / (sx * sw[j])).rounded() - Double(zx) * Double(sum)
                b[j] = Int32(max(-limit, min(limit, bias)))
            }
            let out = try affine(observed[l + 1], calibration,
                                 tensor: "layer \(l + 1)'s \([.sigmoid, .tanh].contains(activation) ? "pre-activation" : "output")")
            let real = (0..<m).map { sx * sw[$0] / out.scale }
            let (mult, shift) = try multipliers(real, layer: l + 1)
            var negative: [Int32] = [], negativeShift: Int32 = 0
            if activation == .leakyReLU {
                (negative, negativeShift) = try multipliers(real.map { $0 * Double(net.leakySlopes[l]) }, layer: l + 1)
            }
            var table: [Int8] = [], outScale = out.scale, outZP = out.zeroPoint
            if activation == .sigmoid || activation == .tanh {
                table = (-128...127).map { q in
                    let z = out.scale * Double(q - Int(out.zeroPoint))
                    let v = activation == .sigmoid ? (1 / (1 + exp(-z)) * 256).rounded() - 128 : (tanh(z) * 128).rounded()
                    return Int8(max(-128, min(127, v)))
                }
                (outScale, outZP) = activation == .sigmoid ? (1.0 / 256, -128) : (1.0 / 128, 0)
            }
            layers.append(QuantizedModel.Layer(
                activation: activation, inCount: n, outCount: m, w: w, b: b, multiplier: mult, shift: shift,
                negativeMultiplier: negative, negativeShift: negativeShift, zeroPoint: out.zeroPoint,
                outputScale: Float(outScale), outputZeroPoint: outZP, table: table))
            if l == net.layerCount - 1 {
                if activation == .softmax {
                    let b = (outScale * 1.4426950408889634 * 1_048_576).rounded()
                    guard b >= 1, b <= Double(1 << 23) else {
                        throw QuantizeError("the logits' range (scale \(outScale)) is too \(b < 1 ? "narrow" : "wide") for the integer softmax")
                    }
                    beta = Int32(b)
                }
                threshold = activation == .sigmoid ? 0
                    : Int32(max(-129, min(127, (0.5 / outScale + Double(outZP)).rounded(.down))))
            }
            sx = outScale; zx = outZP
        }
        return QuantizedModel(calibration: calibration, inputScale: Float(input.scale), inputZeroPoint: input.zeroPoint,
                              layers: layers, softmaxBeta: beta, classThreshold: threshold)
    }

    /// Accuracy on the labels and mean squared error of the dequantized
    /// outputs against the float network's, on scaled data.
    static func measure(_ q: QuantizedModel, _ net: Network, _ data: Dataset) -> (accuracy: Double, mse: Double) {
        var correct = 0, squares = 0.0
        let engine = Int8Engine(q)
        for s in 0..<data.count {
            let x = Array(data.sample(s))
            let r = engine.run(q.quantizeInput(x))
            if r.predictedClass == data.labels[s] { correct += 1 }
            let float = try! net.predict(x), int8 = q.dequantized(r)
            for (a, b) in zip(float, int8) { squares += Double(a - b) * Double(a - b) }
        }
        return (Double(correct) / Double(data.count), squares / Double(data.count * q.outputCount))
    }
}

extension Model {
    /// The int8 model's outputs for one raw input, as ``QuantizedModel/run(_:)``.
    /// - Precondition: ``quantized`` is set.
    /// - Parameter engine: the model's engine, to reuse across calls.
    public func runInt8(_ x: [Float], engine: Int8Engine? = nil) throws(NetworkError) -> Int8Engine.Result {
        guard let q = quantized else { preconditionFailure("runInt8 on a float model") }
        guard x.count == network.inputCount else {
            throw .badShape("input has \(x.count) features, the model takes \(network.inputCount)")
        }
        guard x.allSatisfy({ $0.isFinite }) else { throw .nonFinite("input holds NaN or infinity") }
        return (engine ?? Int8Engine(q)).run(q.quantizeInput(scaling.apply(x)))
    }

    /// Accuracy of the int8 model on raw labelled data, with its confusion matrix.
    public func evaluateInt8(on data: Dataset, name: String) throws(NetworkError) -> Evaluation {
        try data.check(against: network, name: name)
        let k = network.outputCount, classes = max(data.classCount, k == 1 ? 2 : k)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var correct = 0
        let engine = Int8Engine(quantized!)
        for s in 0..<data.count {
            let c = try runInt8(Array(data.sample(s)), engine: engine).predictedClass
            confusion[data.labels[s]][c] += 1
            if c == data.labels[s] { correct += 1 }
        }
        return Evaluation(accuracy: Double(correct) / Double(data.count), cost: .nan, confusion: confusion)
    }
}
