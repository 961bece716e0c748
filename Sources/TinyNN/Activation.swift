/// The activation function σ of a layer: `a = σ(z)`.
///
/// Elementwise activations backpropagate by the Hadamard factor of BP1/BP2,
/// `δ = ∇ₐC ⊙ σ′(z)`; softmax couples its outputs, so its factor is the
/// Jacobian product `δ = a ⊙ (∇ₐC − (∇ₐC·a))`.
public enum Activation: UInt8, Sendable {
    /// σ(z) = z.
    case identity = 0
    /// σ(z) = 1/(1+e⁻ᶻ);  σ′ = a(1−a).
    case sigmoid = 1
    /// σ(z) = tanh z;  σ′ = 1−a².
    case tanh = 2
    /// σ(z) = max(0, z);  σ′ = 1 for z > 0, else 0.
    case relu = 3
    /// σ(z) = z for z > 0, else s·z;  σ′ = 1 or s. The slope s is the
    /// layer's (``LayerView/leakySlope``), ``defaultLeakySlope`` unless the
    /// model says otherwise (an imported `LeakyRelu`'s alpha, say).
    case leakyReLU = 4
    /// σ(z)ⱼ = e^(zⱼ−m) / Σₖ e^(zₖ−m), m = maxₖ zₖ (output layer).
    case softmax = 5

    /// The slope of leaky ReLU for z ≤ 0 in a model that names none
    /// (PyTorch's default; every model file before the `LEAK` section).
    @inlinable public static var defaultLeakySlope: Float { 0.01 }

    /// Forward: `a = σ(z)`.  z, a: `[count]` (may alias).
    ///
    /// Softmax sums `e^(zⱼ−m)` in increasing `j`. Always inlined, and each
    /// case is a call of its own, so that where the activation is a constant
    /// (the firmware's generated model) only that activation's code is linked.
    /// - Parameter leakySlope: s of leaky ReLU (read by no other activation).
    @inlinable @inline(__always)
    public func apply(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int, leakySlope: Float) {
        switch self {
        case .identity: Activation.identityForward(z: z, a: a, count: count)
        case .sigmoid: Activation.sigmoidForward(z: z, a: a, count: count)
        case .tanh: Activation.tanhForward(z: z, a: a, count: count)
        case .relu: Activation.reluForward(z: z, a: a, count: count)
        case .leakyReLU: Activation.leakyReLUForward(z: z, a: a, count: count, slope: leakySlope)
        case .softmax: Activation.softmaxForward(z: z, a: a, count: count)
        }
    }

    @usableFromInline
    static func identityForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { a[j] = z[j] }
    }

    @usableFromInline
    static func sigmoidForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        Kernels.sigmoid(z: z, a: a, count: count)
    }

    @usableFromInline
    static func tanhForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { a[j] = TinyMath.tanh(z[j]) }
    }

    @usableFromInline
    static func reluForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        Kernels.relu(z: z, a: a, count: count)
    }

    @usableFromInline
    static func leakyReLUForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
        for j in 0..<count { a[j] = z[j] > 0 ? z[j] : slope * z[j] }
    }

    @usableFromInline
    static func softmaxForward(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        var m = z[0]
        for j in 1..<max(count, 1) where z[j] > m { m = z[j] }
        let sum = Kernels.expShiftedSum(z: z, m: m, a: a, count: count)
        for j in 0..<count { a[j] = a[j] / sum }
    }

    /// The Hadamard step of BP1/BP2 in place: turns `g = ∂C/∂a` into
    /// `δ = ∂C/∂z = g ⊙ σ′(z)` (softmax: `δ = a ⊙ (g − g·a)`, the dot product
    /// summed in increasing `j`, fused).  g, z, a: `[count]`.
    /// - Parameter leakySlope: s of leaky ReLU (read by no other activation).
    @inlinable
    public func backpropagate(
        _ g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>, count: Int,
        leakySlope: Float
    ) {
        switch self {
        case .identity:
            break
        case .sigmoid:
            for j in 0..<count { g[j] *= a[j] * (1 - a[j]) }
        case .tanh:
            for j in 0..<count { g[j] *= 1 - a[j] * a[j] }
        case .relu:
            for j in 0..<count where !(z[j] > 0) { g[j] = 0 }
        case .leakyReLU:
            for j in 0..<count where !(z[j] > 0) { g[j] *= leakySlope }
        case .softmax:
            var ga: Float = 0
            for j in 0..<count { ga.addProduct(g[j], a[j]) }
            for j in 0..<count { g[j] = a[j] * (g[j] - ga) }
        }
    }
}
