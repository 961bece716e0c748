/// The cost C of one sample, and its output error δᴸ (BP1).
public enum Loss: UInt8, Sendable {
    /// Quadratic cost `C = ½‖y − a‖²`;  `∇ₐC = a − y`. Any output activation.
    case quadratic = 0
    /// Cross-entropy `C = −Σⱼ yⱼ ln aⱼ` after softmax;  `δᴸ = a − y`.
    case crossEntropy = 1
    /// Binary cross-entropy `C = −Σⱼ [yⱼ ln aⱼ + (1−yⱼ) ln(1−aⱼ)]` after
    /// sigmoid;  `δᴸ = a − y`.
    case binaryCrossEntropy = 2

    /// Whether this cost is defined for outputs of `activation`: the
    /// cross-entropies need probabilities, from softmax or sigmoid.
    @inlinable
    public func isCompatible(with activation: Activation) -> Bool {
        switch self {
        case .quadratic: return true
        case .crossEntropy: return activation == .softmax
        case .binaryCrossEntropy: return activation == .sigmoid
        }
    }

    /// The cost of one sample.  a, y: `[count]`.
    ///
    /// Summed in increasing `j`. Probabilities are clamped to
    /// `[2⁻¹²⁶, 1]` inside `ln`, so a saturated output costs at most ≈ 87
    /// instead of infinity.
    @inlinable
    public func cost(a: UnsafePointer<Float>, y: UnsafePointer<Float>, count: Int) -> Float {
        var c: Float = 0
        switch self {
        case .quadratic:
            for j in 0..<count {
                let d = a[j] - y[j]
                c.addProduct(d, d)
            }
            return 0.5 * c
        case .crossEntropy:
            for j in 0..<count where y[j] != 0 { c.addProduct(y[j], Loss.ln(a[j])) }
            return -c
        case .binaryCrossEntropy:
            for j in 0..<count {
                c.addProduct(y[j], Loss.ln(a[j]))
                c.addProduct(1 - y[j], Loss.ln(1 - a[j]))
            }
            return -c
        }
    }

    @inlinable
    static func ln(_ p: Float) -> Float {
        TinyMath.log(max(p, Float.leastNormalMagnitude))
    }

    /// BP1: the output error `δᴸ = ∇ₐC ⊙ σ′(zᴸ)`.  z, a, y, delta: `[count]`.
    ///
    /// Quadratic cost goes through the activation's derivative; softmax with
    /// cross-entropy and sigmoid with binary cross-entropy simplify to
    /// `δᴸ = a − y` (their σ′ cancels the cost's denominator).
    @inlinable
    public func outputError(
        z: UnsafePointer<Float>, a: UnsafePointer<Float>, y: UnsafePointer<Float>,
        delta: UnsafeMutablePointer<Float>, count: Int, activation: Activation, leakySlope: Float
    ) {
        for j in 0..<count { delta[j] = a[j] - y[j] }
        switch self {
        case .quadratic:
            activation.backpropagate(delta, z: z, a: a, count: count, leakySlope: leakySlope)
        case .crossEntropy, .binaryCrossEntropy:
            precondition(isCompatible(with: activation), "cross-entropy needs a softmax/sigmoid output layer")
        }
    }
}
