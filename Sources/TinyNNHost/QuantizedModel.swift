import TinyNN

/// An int8 model: what `tinynn quantize` makes of a float model, run by the
/// core's ``Int8NetworkView`` on the host exactly as on the chip. Saved as the
/// model file's `INT8` section beside the float model it came from (so `eval`
/// can show both); a reader that does not know the section refuses the file.
public struct QuantizedModel: Sendable, Equatable {
    /// How the activation ranges were chosen.
    public enum Calibration: UInt8, Sendable, CaseIterable {
        /// The smallest and largest value on the calibration data.
        case minMax = 0
        /// The 0.01st and 99.99th percentiles (outliers clipped).
        case percentile = 1

        public var name: String { self == .minMax ? "min/max" : "percentile 0.01/99.99" }
    }

    public struct Layer: Sendable, Equatable {
        public var activation: Activation
        public var inCount: Int, outCount: Int
        /// `[Out][In]`, symmetric per output channel, in −127…127.
        public var w: [Int8]
        /// `[Out]`, at scale `s_x·s_w[j]`, the input zero point folded in.
        public var b: [Int32]
        /// `[Out]`, Q31 with ``shift`` (the layer's one shift).
        public var multiplier: [Int32]
        public var shift: Int32
        /// `[Out]` for leaky ReLU (z < 0), else empty.
        public var negativeMultiplier: [Int32]
        public var negativeShift: Int32
        /// The zero point of the output (sigmoid, tanh: of the pre-activation).
        public var zeroPoint: Int32
        /// The real scale of the int8 output `a` (sigmoid 1/256, tanh 1/128).
        public var outputScale: Float
        /// The zero point of `a` (equals ``zeroPoint`` but for sigmoid, −128, and tanh, 0).
        public var outputZeroPoint: Int32
        /// `[256]` for sigmoid and tanh, else empty.
        public var table: [Int8]
    }

    public var calibration: Calibration
    /// The first layer's input: `q = clamp(round(x′/inputScale) + inputZeroPoint)`, x′ the scaled features.
    public var inputScale: Float
    public var inputZeroPoint: Int32
    public var layers: [Layer]
    /// For a softmax output: `round(s·log₂e·2²⁰)`, `s` the logits' scale (else 0).
    public var softmaxBeta: Int32
    /// For one output: the largest int8 output standing for a real value ≤ ½.
    public var classThreshold: Int32

    public var outputCount: Int { layers.last!.outCount }
    public var hasSoftmax: Bool { layers.last!.activation == .softmax }

    // MARK: - Inference (the core's integer kernels)

    /// The int8 input for scaled features `x′` (host side, float: the chip
    /// receives int8).
    public func quantizeInput(_ scaled: [Float]) -> [Int8] {
        scaled.map { x in
            let q = (x / inputScale).rounded() + Float(inputZeroPoint)
            return Int8(max(-128, min(127, q.isNaN ? 0 : q)))
        }
    }

    /// One forward pass: the last layer's int8 outputs (softmax: the logits),
    /// the integer softmax's probabilities (softmax only, else empty) and the
    /// class. For many, ``Int8Engine`` keeps its buffers.
    public func run(_ x: [Int8]) -> Int8Engine.Result { Int8Engine(self).run(x) }

    /// The values of the `y` line the int8 firmware prints: the outputs, then
    /// (softmax) the probabilities, each as its int32 bit pattern.
    public static func lineValues(_ r: Int8Engine.Result) -> [UInt32] {
        (r.outputs + r.probabilities).map { UInt32(bitPattern: Int32($0)) }
    }

    /// The real values of the outputs (softmax: the probabilities).
    public func dequantized(_ r: Int8Engine.Result) -> [Float] {
        if hasSoftmax { return r.probabilities.map { (Float($0) + 128) / 256 } }
        let last = layers.last!
        return r.outputs.map { last.outputScale * (Float($0) - Float(last.outputZeroPoint)) }
    }

    // MARK: - Footprint

    /// Flash of the int8 arrays on the chip: weights, biases, multipliers,
    /// negative multipliers, tables (the per-layer shifts and zero points are
    /// immediates).
    public var flashBytes: Int {
        layers.reduce(0) { $0 + $1.w.count + 4 * ($1.b.count + $1.multiplier.count + $1.negativeMultiplier.count) + $1.table.count }
    }

    /// Inference RAM: the int8 input, each layer's int32 sums and int8 output
    /// (and the probabilities for softmax).
    public var inferenceRAMBytes: Int {
        layers[0].inCount + layers.reduce(0) { $0 + 5 * $1.outCount } + (hasSoftmax ? outputCount : 0)
    }

    /// CRC-32 of the arrays in header order (per layer w, b, multiplier,
    /// negative multiplier, table; little-endian): `TINYNN_NAME_CRC32` of an
    /// int8 header, the firmware's `model crc` line.
    public var crc: UInt32 {
        var out = ByteWriter()
        for layer in layers {
            out.bytes += layer.w.map { UInt8(bitPattern: $0) }
            for v in layer.b + layer.multiplier + layer.negativeMultiplier { out.u32(UInt32(bitPattern: v)) }
            out.bytes += layer.table.map { UInt8(bitPattern: $0) }
        }
        return crc32(out.bytes)
    }
}

/// The host's copy of an int8 model's arrays and scratch, lent to the core's
/// ``Int8NetworkView``: the same kernels, so the same integers, as the chip.
public final class Int8Engine {
    public typealias Result = (outputs: [Int8], probabilities: [Int8], predictedClass: Int)
    let model: QuantizedModel
    private var buffers: [UnsafeMutableRawPointer] = []
    private var view: Int8NetworkView

    public init(_ model: QuantizedModel) {
        self.model = model
        view = Int8NetworkView(softmaxBeta: model.softmaxBeta, classThreshold: model.classThreshold)
        func copy<T>(_ v: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(v.count, 1))
            p.initialize(from: v, count: v.count)
            buffers.append(UnsafeMutableRawPointer(p))
            return p
        }
        for layer in model.layers {
            view.append(Int8LayerView(
                inCount: layer.inCount, outCount: layer.outCount, activation: layer.activation,
                w: copy(layer.w), b: copy(layer.b), multiplier: copy(layer.multiplier), shift: layer.shift,
                negativeMultiplier: layer.negativeMultiplier.isEmpty ? nil : UnsafePointer(copy(layer.negativeMultiplier)),
                negativeShift: layer.negativeShift, zeroPoint: layer.zeroPoint,
                table: layer.table.isEmpty ? nil : UnsafePointer(copy(layer.table)),
                z: copy([Int32](repeating: 0, count: layer.outCount)), a: copy([Int8](repeating: 0, count: layer.outCount))))
        }
    }

    deinit { for p in buffers { p.deallocate() } }

    public func run(_ x: [Int8]) -> Result {
        precondition(x.count == view.inputCount, "Int8Engine.run: \(x.count) inputs, the model takes \(view.inputCount)")
        let out = x.withUnsafeBufferPointer { xp in view.forward(xp.baseAddress!) }
        var p: [Int8] = []
        if model.hasSoftmax {
            p = [Int8](repeating: 0, count: view.outputCount)
            view.probabilities(into: &p)
        }
        return (Array(UnsafeBufferPointer(start: out, count: view.outputCount)), p, view.predictedClass())
    }
}
