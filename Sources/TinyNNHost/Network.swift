import TinyNN

/// A fully connected network whose shape is chosen at run time (the host
/// face): it owns its buffers and runs them through the same ``NetworkView``
/// engine, and so the same kernels, as the firmware.
public final class Network {
    /// `widths[0]` inputs, then each layer's output width.
    public let widths: [Int]
    public let activations: [Activation]
    /// Per layer, leaky ReLU's slope for z ≤ 0; ``Activation/defaultLeakySlope``
    /// for every layer that is not leaky ReLU (see ``setLeakySlope(_:layer:)``).
    public private(set) var leakySlopes: [Float]
    public let loss: Loss
    /// Floats of optimizer state per parameter allocated (0, 1 or 2).
    public private(set) var stateCount: Int

    /// Per layer: w `[Out][In]` and b `[Out]`.
    var w: [UnsafeMutableBufferPointer<Float>]
    var b: [UnsafeMutableBufferPointer<Float>]
    var z, a, delta, gw, gb, stateW, stateB: [UnsafeMutableBufferPointer<Float>]

    /// The most parameters (weights and biases) a network may have: 2²⁶, 256 MiB
    /// of float32, checked before anything is allocated (training allocates
    /// gradients and optimizer state of the same size again).
    public static let maxParameters = 1 << 26
    /// The widest layer: 2²⁴ (what a model file may hold).
    public static let maxWidth = 1 << 24

    /// - Parameters:
    ///   - widths: at least two widths in 1…``maxWidth``; at most ``NetworkView/maxLayers`` layers,
    ///     at most ``maxParameters`` parameters.
    ///   - activations: one per layer (`widths.count − 1`).
    ///   - loss: must suit the last activation.
    public init(widths: [Int], activations: [Activation], loss: Loss) throws(NetworkError) {
        guard widths.count >= 2, widths.count - 1 <= NetworkView.maxLayers else {
            throw .badShape("a network needs 1 to \(NetworkView.maxLayers) layers, got \(widths.count - 1)")
        }
        guard widths.allSatisfy({ $0 >= 1 }) else {
            throw .badShape("layer widths must be at least 1, got \(widths.map(String.init).joined(separator: ","))")
        }
        guard widths.allSatisfy({ $0 <= Network.maxWidth }) else {
            throw .badShape("layer widths must be at most \(Network.maxWidth), got \(widths.map(String.init).joined(separator: ","))")
        }
        var total = 0
        for l in 1..<widths.count { total += (widths[l - 1] + 1) * widths[l] }
        guard total <= Network.maxParameters else {
            throw .badShape("layers \(widths.map(String.init).joined(separator: ",")) have \(total) parameters,"
                            + " more than the \(Network.maxParameters) a network may have")
        }
        guard activations.count == widths.count - 1 else {
            throw .badShape("\(widths.count - 1) layers need \(widths.count - 1) activations, got \(activations.count)")
        }
        guard loss.isCompatible(with: activations.last!) else {
            throw .incompatibleLoss(loss: loss.name, activation: activations.last!.name)
        }
        if let l = activations.dropLast().firstIndex(of: .softmax) {
            throw .badShape("softmax is for the output layer only, not layer \(l + 1)")
        }
        self.widths = widths; self.activations = activations; self.loss = loss
        leakySlopes = Array(repeating: Activation.defaultLeakySlope, count: activations.count)
        stateCount = 0
        func alloc(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0)
            return p
        }
        let layers = 0..<(widths.count - 1)
        w = layers.map { alloc(widths[$0] * widths[$0 + 1]) }
        gw = layers.map { alloc(widths[$0] * widths[$0 + 1]) }
        b = layers.map { alloc(widths[$0 + 1]) }
        gb = layers.map { alloc(widths[$0 + 1]) }
        z = layers.map { alloc(widths[$0 + 1]) }
        a = layers.map { alloc(widths[$0 + 1]) }
        delta = layers.map { alloc(widths[$0 + 1]) }
        stateW = []; stateB = []
    }

    deinit {
        for buffers in [w, b, z, a, delta, gw, gb, stateW, stateB] {
            for p in buffers { p.deallocate() }
        }
    }

    public var layerCount: Int { widths.count - 1 }
    public var inputCount: Int { widths[0] }
    public var outputCount: Int { widths[widths.count - 1] }
    /// Number of weights and biases.
    public var parameterCount: Int { (0..<layerCount).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] } }

    /// Layer `l`'s weights, row-major `[Out][In]`.
    public func weights(_ l: Int) -> [Float] { Array(w[l]) }
    /// Layer `l`'s biases.
    public func biases(_ l: Int) -> [Float] { Array(b[l]) }

    /// Replaces layer `l`'s parameters.
    public func setParameters(layer l: Int, weights: [Float], biases: [Float]) throws(NetworkError) {
        guard weights.count == w[l].count, biases.count == b[l].count else {
            throw .badShape("layer \(l + 1) needs \(w[l].count) weights and \(b[l].count) biases,"
                            + " got \(weights.count) and \(biases.count)")
        }
        _ = w[l].update(from: weights); _ = b[l].update(from: biases)
    }

    /// Sets layer `l`'s leaky ReLU slope (an imported `LeakyRelu`'s alpha, say).
    /// - Throws: if the slope is not finite, or layer `l` is not leaky ReLU
    ///   and the slope is not the default (a slope no activation reads would
    ///   give two files for one network).
    public func setLeakySlope(_ slope: Float, layer l: Int) throws(NetworkError) {
        guard slope.isFinite else { throw .nonFinite("layer \(l + 1)'s leaky ReLU slope is \(slope)") }
        guard activations[l] == .leakyReLU || slope == Activation.defaultLeakySlope else {
            throw .badShape("layer \(l + 1) is \(activations[l].name), not leaky-relu: it has no slope to set")
        }
        leakySlopes[l] = slope
    }

    /// Whether some layer's leaky ReLU slope is not ``Activation/defaultLeakySlope``.
    public var hasCustomLeakySlope: Bool { leakySlopes.contains { $0 != Activation.defaultLeakySlope } }

    /// All parameters in model-file order: for each layer, w then b.
    public var flatParameters: [Float] {
        (0..<layerCount).flatMap { Array(w[$0]) + Array(b[$0]) }
    }

    /// Draws every layer's parameters, layer by layer, from one seeded stream.
    /// - Parameter initializer: per layer; nil picks ``Initializer/standard(for:)``.
    public func initialize(seed: UInt64, initializer: Initializer? = nil) {
        var random = Random(seed: seed)
        for l in 0..<layerCount {
            let scheme = initializer ?? .standard(for: activations[l])
            scheme.initialize(w: w[l].baseAddress!, b: b[l].baseAddress!,
                              inCount: widths[l], outCount: widths[l + 1], random: &random)
        }
    }

    /// Allocates optimizer state for `optimizer` (zeroed) if not already there.
    public func prepare(for optimizer: Optimizer) {
        guard stateCount != optimizer.stateCount else { return }
        for p in stateW + stateB { p.deallocate() }
        stateCount = optimizer.stateCount
        if stateCount == 0 { stateW = []; stateB = []; return }
        stateW = (0..<layerCount).map {
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: stateCount * w[$0].count)
            p.initialize(repeating: 0); return p
        }
        stateB = (0..<layerCount).map {
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: stateCount * b[$0].count)
            p.initialize(repeating: 0); return p
        }
    }

    /// Lends the buffers to the engine.
    public func withView<R>(_ body: (NetworkView) throws -> R) rethrows -> R {
        var view = NetworkView(loss: loss)
        for l in 0..<layerCount {
            view.append(LayerView(
                inCount: widths[l], outCount: widths[l + 1], activation: activations[l],
                w: w[l].baseAddress!, b: b[l].baseAddress!, z: z[l].baseAddress!, a: a[l].baseAddress!,
                delta: delta[l].baseAddress!, gw: gw[l].baseAddress!, gb: gb[l].baseAddress!,
                stateW: stateCount > 0 ? stateW[l].baseAddress! : nil,
                stateB: stateCount > 0 ? stateB[l].baseAddress! : nil, leakySlope: leakySlopes[l]))
        }
        return try body(view)
    }

    /// The output activations for one input.
    /// - Throws: if `x` has the wrong length or holds NaN or infinity.
    public func predict(_ x: [Float]) throws(NetworkError) -> [Float] {
        guard x.count == inputCount else {
            throw .badShape("input has \(x.count) features, the network takes \(inputCount)")
        }
        guard x.allSatisfy({ $0.isFinite }) else { throw .nonFinite("input holds NaN or infinity") }
        return x.withUnsafeBufferPointer { xp in
            withView { net in Array(UnsafeBufferPointer(start: net.forward(xp.baseAddress!), count: outputCount)) }
        }
    }
}
