/// The update rule that turns a mini-batch's summed gradients into new
/// parameters, with optional L2 weight decay on the weights.
///
/// With `m` samples in the batch and `Σ∂C/∂p` the summed gradient (BP3/BP4),
/// the averaged gradient is `g = (1/m)·Σ∂C/∂p + λ·p` (λ only for weights),
/// computed as `g = fma(λ, p, (1/m)·Σ)`. Then:
/// - SGD:       `p = fma(−η, g, p)`
/// - momentum:  `v = fma(μ, v, −η·g)`;  `p = p + v`
/// - Adam:      `m₁ = fma(β₁, m₁, (1−β₁)·g)`;  `m₂ = fma(β₂, m₂, (1−β₂)·g·g)`;
///              `p = p − η·(m₁/c₁) / (√(m₂/c₂) + ε)`, `cₖ = 1 − βₖᵗ`
public struct Optimizer: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case sgd = 0, momentum = 1, adam = 2
    }

    public var kind: Kind
    /// η > 0.
    public var learningRate: Float
    /// λ ≥ 0, the L2 coefficient on weights (`C + ½λ‖w‖²`).
    public var weightDecay: Float
    /// μ in [0, 1) for momentum; β₁ for Adam.
    public var beta1: Float
    /// β₂ for Adam.
    public var beta2: Float
    /// ε for Adam.
    public var epsilon: Float

    public init(kind: Kind, learningRate: Float, weightDecay: Float = 0,
                beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.kind = kind; self.learningRate = learningRate; self.weightDecay = weightDecay
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
    }

    public static func sgd(learningRate: Float, weightDecay: Float = 0) -> Optimizer {
        Optimizer(kind: .sgd, learningRate: learningRate, weightDecay: weightDecay)
    }
    public static func momentum(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) -> Optimizer {
        Optimizer(kind: .momentum, learningRate: learningRate, weightDecay: weightDecay, beta1: momentum)
    }
    public static func adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-8, weightDecay: Float = 0) -> Optimizer {
        Optimizer(kind: .adam, learningRate: learningRate, weightDecay: weightDecay,
                  beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// How many floats of state each parameter needs: 0, 1 (velocity) or 2 (moments).
    @inlinable
    public var stateCount: Int {
        switch kind { case .sgd: 0; case .momentum: 1; case .adam: 2 }
    }

    /// The step counter and Adam's bias corrections `βₖᵗ`, advanced once per mini-batch.
    public struct Clock: Sendable, Equatable {
        public var step: Int = 0
        public var beta1Power: Float = 1
        public var beta2Power: Float = 1
        public init() {}
        /// Advances to the next step: `βₖᵗ = βₖᵗ⁻¹·βₖ`.
        @inlinable
        public mutating func tick(_ o: Optimizer) {
            step += 1
            beta1Power *= o.beta1
            beta2Power *= o.beta2
        }
    }

    /// Updates one parameter tensor from its gradient sum.
    /// - Parameters:
    ///   - p: `[count]` parameters, updated in place.
    ///   - gradientSum: `[count]` Σ over the batch of ∂C/∂p.
    ///   - state: `[stateCount][count]` (velocity, or first then second moment); may be nil for SGD.
    ///   - batchSize: m ≥ 1.
    ///   - decays: whether λ applies (weights yes, biases no).
    ///   - clock: already ticked for this step.
    @inlinable
    public func update(
        _ p: UnsafeMutablePointer<Float>, gradientSum: UnsafePointer<Float>,
        state: UnsafeMutablePointer<Float>?, count: Int, batchSize: Int, decays: Bool, clock: Clock
    ) {
        let scale = 1 / Float(batchSize)
        let lambda: Float = decays ? weightDecay : 0
        let eta = learningRate
        switch kind {
        case .sgd:
            for k in 0..<count {
                let g = (scale * gradientSum[k]).addingProduct(lambda, p[k])
                p[k] = p[k].addingProduct(-eta, g)
            }
        case .momentum:
            let v = state!
            let mu = beta1
            for k in 0..<count {
                let g = (scale * gradientSum[k]).addingProduct(lambda, p[k])
                v[k] = (-eta * g).addingProduct(mu, v[k])
                p[k] = p[k] + v[k]
            }
        case .adam:
            let m1 = state!, m2 = state! + count
            let b1 = beta1, b2 = beta2
            let c1 = 1 - clock.beta1Power, c2 = 1 - clock.beta2Power
            for k in 0..<count {
                let g = (scale * gradientSum[k]).addingProduct(lambda, p[k])
                m1[k] = ((1 - b1) * g).addingProduct(b1, m1[k])
                m2[k] = ((1 - b2) * g * g).addingProduct(b2, m2[k])
                let mHat = m1[k] / c1
                let vHat = m2[k] / c2
                p[k] = p[k] - eta * mHat / (vHat.squareRoot() + epsilon)
            }
        }
    }
}
