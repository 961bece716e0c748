/// One int8 dense layer over borrowed storage (flash arrays on the chip, the
/// host's buffers): `z = W·x + b` in `Int32`, then requantized to int8 with
/// its activation folded in (``Int8Kernels``). It owns no memory.
///
/// - identity, softmax (the logits; ``Int8Softmax`` gives the probabilities):
///   `a = clamp(M·z + zp, −128, 127)`
/// - ReLU: the clamp's floor is the zero point (the real 0)
/// - leaky ReLU: the negative side has its own multipliers (``negativeMultiplier``)
/// - sigmoid, tanh: `z` requantized to an int8 pre-activation at the layer's
///   calibrated scale, then a 256-entry ``table`` (output scale 1/256 and zero
///   point −128 for sigmoid, 1/128 and 0 for tanh)
public struct Int8LayerView {
    public var inCount: Int
    public var outCount: Int
    public var activation: Activation
    /// `[Out][In]`, symmetric per output channel.
    public var w: UnsafePointer<Int8>
    /// `[Out]`, the input's zero point folded in.
    public var b: UnsafePointer<Int32>
    /// `[Out]`, Q31, with the layer's ``shift``.
    public var multiplier: UnsafePointer<Int32>
    public var shift: Int32
    /// `[Out]` for leaky ReLU (z < 0), with ``negativeShift``; nil otherwise.
    public var negativeMultiplier: UnsafePointer<Int32>?
    public var negativeShift: Int32
    /// The zero point of `a` (sigmoid, tanh: of the pre-activation).
    public var zeroPoint: Int32
    /// `[256]` for sigmoid and tanh; nil otherwise.
    public var table: UnsafePointer<Int8>?
    /// Scratch `[Out]` for the sums.
    public var z: UnsafeMutablePointer<Int32>
    /// `[Out]`, the layer's output.
    public var a: UnsafeMutablePointer<Int8>

    @inlinable
    public init(inCount: Int, outCount: Int, activation: Activation, w: UnsafePointer<Int8>, b: UnsafePointer<Int32>,
                multiplier: UnsafePointer<Int32>, shift: Int32, negativeMultiplier: UnsafePointer<Int32>?,
                negativeShift: Int32, zeroPoint: Int32, table: UnsafePointer<Int8>?,
                z: UnsafeMutablePointer<Int32>, a: UnsafeMutablePointer<Int8>) {
        self.inCount = inCount; self.outCount = outCount; self.activation = activation
        self.w = w; self.b = b; self.multiplier = multiplier; self.shift = shift
        self.negativeMultiplier = negativeMultiplier; self.negativeShift = negativeShift
        self.zeroPoint = zeroPoint; self.table = table; self.z = z; self.a = a
    }

    /// Forward: `a = requantize(W·x + b)`.  x: `[In]` int8.
    @inlinable @inline(__always)
    public func forward(_ x: UnsafePointer<Int8>) {
        Int8Kernels.dense(w: w, b: b, x: x, z: z, inCount: inCount, outCount: outCount)
        activate()
    }

    /// The requantization and activation of ``z`` into ``a``; always inlined
    /// so that a constant activation links only its own case.
    @inlinable @inline(__always)
    public func activate() {
        switch activation {
        case .identity, .softmax:
            Int8Kernels.requantize(z, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint, lo: -128,
                                   into: a, count: outCount)
        case .relu:
            Int8Kernels.requantize(z, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint,
                                   lo: max(zeroPoint, -128), into: a, count: outCount)
        case .leakyReLU:
            Int8Kernels.requantizeLeaky(z, multiplier: multiplier, shift: shift, negativeMultiplier: negativeMultiplier!,
                                        negativeShift: negativeShift, zeroPoint: zeroPoint, into: a, count: outCount)
        case .sigmoid, .tanh:
            Int8Kernels.requantize(z, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint, lo: -128,
                                   into: a, count: outCount)
            Int8Kernels.lookup(a, table: table!, count: outCount)
        }
    }
}

/// An int8 network as a table of ``Int8LayerView``s, the engine the host
/// and the firmware run. At most ``NetworkView/maxLayers`` layers.
public struct Int8NetworkView {
    /// Written by ``append(_:)`` only, which keeps the widths below in step;
    /// read through the subscript.
    @usableFromInline var layers: InlineArray<8, Int8LayerView?>
    @usableFromInline var _layerCount: Int
    public var layerCount: Int { _layerCount }
    /// The first layer's input width, the last layer's output width and
    /// activation, kept beside the table: reading them from it through a
    /// non-mutating accessor copied all eight entries (416 bytes; a byte-wise
    /// `memcpy` in RISC-V's picolibc, some 2,500 instructions a copy).
    @usableFromInline var _inputCount: Int, _outputCount: Int, _outputActivation: Activation
    @inlinable public var inputCount: Int { _inputCount }
    @inlinable public var outputCount: Int { _outputCount }
    @inlinable public var outputActivation: Activation { _outputActivation }
    /// For a softmax output, `β` of ``Int8Softmax/probabilities(_:count:beta:into:scratch:)``.
    public var softmaxBeta: Int32
    /// For one output: the largest int8 output that stands for a real value
    /// ≤ ½ (sigmoid: 0, as `(q + 128)/256 > ½` exactly when `q > 0`).
    public var classThreshold: Int32

    @inlinable
    public init(softmaxBeta: Int32, classThreshold: Int32) {
        layers = InlineArray(repeating: nil)
        _layerCount = 0
        _inputCount = 0
        _outputCount = 0
        _outputActivation = .identity
        self.softmaxBeta = softmaxBeta; self.classThreshold = classThreshold
    }

    /// Adds the next layer; its input width must be the last one's output width.
    @inlinable
    public mutating func append(_ layer: Int8LayerView) {
        precondition(layerCount < NetworkView.maxLayers, "Int8NetworkView: more than 8 layers")
        if layerCount > 0 {
            precondition(outputCount == layer.inCount,
                         "Int8NetworkView: layer input width differs from the previous layer's output width")
        } else {
            _inputCount = layer.inCount
        }
        layers[layerCount] = layer
        _layerCount += 1
        _outputCount = layer.outCount
        _outputActivation = layer.activation
    }

    @inlinable public subscript(l: Int) -> Int8LayerView { layers[l]! }

    /// Forward pass; returns the last layer's int8 output (for softmax, the logits).
    ///
    /// `mutating` (it changes nothing) so that the layer table is read in
    /// place: through a copy of `self`, each layer access copied all eight
    /// entries (416 bytes of `memcpy` on Cortex-M).
    /// - Parameter x: `[inputCount]`, the quantized input.
    @inlinable @discardableResult
    public mutating func forward(_ x: UnsafePointer<Int8>) -> UnsafeMutablePointer<Int8> {
        var input = x
        for l in 0..<layerCount {
            let layer = self[l]
            layer.forward(input)
            input = UnsafePointer(layer.a)
        }
        return self[layerCount - 1].a
    }

    /// The integer softmax of the last forward pass's logits (softmax
    /// output), its exponentials kept in the last layer's `z`.  p: `[outputCount]`.
    @inlinable
    public mutating func probabilities(into p: UnsafeMutablePointer<Int8>) {
        let last = self[layerCount - 1]
        Int8Softmax.probabilities(UnsafePointer(last.a), count: last.outCount, beta: softmaxBeta, into: p, scratch: last.z)
    }

    /// The predicted class of the last forward pass: the largest output (the
    /// first of equals), or for one output whether it is above ``classThreshold``.
    @inlinable
    public mutating func predictedClass() -> Int {
        let last = self[layerCount - 1]
        if last.outCount == 1 { return Int32(last.a[0]) > classThreshold ? 1 : 0 }
        return Int8Kernels.argmax(last.a, count: last.outCount)
    }
}
