/// Where one dense layer's numbers live, and its shape: the run-time face of
/// a layer. Host arrays, `InlineArray` storage of ``Dense`` and C arrays in
/// flash all reach the kernels through this view.
///
/// Shapes: w `[Out][In]`, b, z, a, delta `[Out]`; the gradient sums gw, gb
/// have the shapes of w, b; the optimizer state holds `stateCount` tensors
/// of each shape, one after another.
public struct LayerView {
    public var inCount: Int
    public var outCount: Int
    public var activation: Activation
    /// The slope s of leaky ReLU for z ≤ 0 (``Activation/leakyReLU``); read
    /// by no other activation.
    public var leakySlope: Float
    public var w: UnsafeMutablePointer<Float>
    public var b: UnsafeMutablePointer<Float>
    /// Weighted input `z = W·a + b` of the last forward pass.
    public var z: UnsafeMutablePointer<Float>
    /// Activation `a = σ(z)` of the last forward pass.
    public var a: UnsafeMutablePointer<Float>
    /// Error `δ = ∂C/∂z` of the last backward pass; nil for inference.
    public var delta: UnsafeMutablePointer<Float>?
    /// Σ ∂C/∂W over the batch so far; nil for inference.
    public var gw: UnsafeMutablePointer<Float>?
    /// Σ ∂C/∂b over the batch so far; nil for inference.
    public var gb: UnsafeMutablePointer<Float>?
    /// Optimizer state for w (`stateCount·Out·In` floats); nil for SGD.
    public var stateW: UnsafeMutablePointer<Float>?
    /// Optimizer state for b (`stateCount·Out` floats); nil for SGD.
    public var stateB: UnsafeMutablePointer<Float>?

    @inlinable
    public init(
        inCount: Int, outCount: Int, activation: Activation,
        w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        z: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>,
        delta: UnsafeMutablePointer<Float>? = nil,
        gw: UnsafeMutablePointer<Float>? = nil, gb: UnsafeMutablePointer<Float>? = nil,
        stateW: UnsafeMutablePointer<Float>? = nil, stateB: UnsafeMutablePointer<Float>? = nil,
        leakySlope: Float = Activation.defaultLeakySlope
    ) {
        precondition(inCount >= 1 && outCount >= 1, "LayerView: widths must be at least 1")
        self.inCount = inCount; self.outCount = outCount; self.activation = activation; self.leakySlope = leakySlope
        self.w = w; self.b = b; self.z = z; self.a = a; self.delta = delta
        self.gw = gw; self.gb = gb; self.stateW = stateW; self.stateB = stateB
    }

    /// Forward: `z = W·a⁻ + b`, `a = σ(z)`, where `a⁻` is the layer's input.
    @inlinable
    public func forward(_ input: UnsafePointer<Float>) {
        forward(input, activation: activation)
    }

    /// ``forward(_:)`` for a caller that knows the layer's activation: given
    /// as a literal, it lets the compiler link only that activation's code
    /// (the firmware's generated model does this).
    /// - Parameter activation: must equal ``activation``.
    @inlinable @inline(__always)
    public func forward(_ input: UnsafePointer<Float>, activation: Activation) {
        precondition(activation == self.activation, "LayerView.forward: not the layer's activation")
        Kernels.denseForward(w: w, b: b, a: input, z: z, inCount: inCount, outCount: outCount)
        activation.apply(z: z, a: a, count: outCount, leakySlope: leakySlope)
    }

    /// BP3 and BP4 from this layer's δ: `∂C/∂b += δ`, `∂C/∂W += δ·(a⁻)ᵀ`.
    @inlinable
    public func accumulateGradients(input: UnsafePointer<Float>) {
        Kernels.accumulateGradients(
            delta: delta!, a: input, gw: gw!, gb: gb!, inCount: inCount, outCount: outCount)
    }

    /// BP2 for the layer below: `δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ σ′(zˡ⁻¹)`, written into
    /// `below.delta`.
    @inlinable
    public func backpropagate(into below: LayerView) {
        let e = below.delta!
        Kernels.transposedProduct(w: w, delta: delta!, e: e, inCount: inCount, outCount: outCount)
        below.activation.backpropagate(e, z: below.z, a: below.a, count: below.outCount, leakySlope: below.leakySlope)
    }

    /// Applies one optimizer step from the gradient sums and clears them.
    @inlinable
    public func update(_ optimizer: Optimizer, batchSize: Int, clock: Optimizer.Clock) {
        let weights = inCount * outCount
        optimizer.update(w, gradientSum: gw!, state: stateW, count: weights,
                         batchSize: batchSize, decays: true, clock: clock)
        optimizer.update(b, gradientSum: gb!, state: stateB, count: outCount,
                         batchSize: batchSize, decays: false, clock: clock)
        gw!.update(repeating: 0, count: weights)
        gb!.update(repeating: 0, count: outCount)
    }
}
