/// How a layer's weights start: seeded, so the same seed gives the same
/// network on every target.
public enum Initializer: Sendable, Equatable {
    /// `w ~ N(0, σ²)` and `b ~ N(0, σ²)`: the seeds' network (Nielsen's
    /// `network.py` uses σ = 1).
    case gaussian(standardDeviation: Float)
    /// Xavier/Glorot: `w ~ N(0, 1/In)`, `b = 0` (sigmoid, tanh, softmax).
    case xavier
    /// He: `w ~ N(0, 2/In)`, `b = 0` (ReLU family).
    case he

    /// Fills one layer: w: `[Out][In]`, b: `[Out]`, drawing all weights row by
    /// row, then the biases.
    @inlinable
    public func initialize(
        w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        inCount: Int, outCount: Int, random: inout Random
    ) {
        let sigma: Float
        switch self {
        case .gaussian(let s): sigma = s
        case .xavier: sigma = (1 / Float(inCount)).squareRoot()
        case .he: sigma = (2 / Float(inCount)).squareRoot()
        }
        for k in 0..<(inCount * outCount) { w[k] = sigma * random.gaussian() }
        for j in 0..<outCount {
            if case .gaussian = self { b[j] = sigma * random.gaussian() } else { b[j] = 0 }
        }
    }

    /// The customary initializer for a layer with `activation`.
    public static func standard(for activation: Activation) -> Initializer {
        switch activation {
        case .relu, .leakyReLU: return .he
        default: return .xavier
        }
    }
}
