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
        let rule = Step(self, batchSize: batchSize, decays: decays, clock: clock)
        var k = 0
        #if TINYNN_MVE
        // SGD on Helium: four parameters a q-register in C (Support/optimizer_mve.c),
        // 7 instructions per four where the SIMD8 loop below took about 10 per
        // parameter; the same rule, elementwise, so the same bits.
        if kind == .sgd {
            k = Optimizer.sgdMVE(p, gradientSum, count, rule.scale, rule.lambda, rule.negativeEta)
        }
        #endif
        // Eight parameters at a time where there are vector registers for
        // them (Helium, -D TINYNN_MVE: two q-registers); elementwise, so the
        // same bits either way. (On the other Cortex-M a SIMD8 becomes eight
        // scalars that do not fit the register file.)
        #if TINYNN_SIMD8 || TINYNN_MVE
        let blockEnd = count & ~7
        while k < blockEnd {
            rule.apply(p, Kernels.load8(gradientSum + k), at: k, state: state, count: count)
            k &+= 8
        }
        #endif
        while k < count {
            rule.apply(p, gradientSum[k], at: k, state: state, count: count)
            k &+= 1
        }
    }

    #if TINYNN_MVE
    /// ``update(_:gradientSum:state:count:batchSize:decays:clock:)``'s SGD rule
    /// for Cortex-M55 (Helium), `p = fma(−η, fma(λ, p, scale·Σ), p)` four at a
    /// time (`Firmware/Support/optimizer_mve.c`); returns how many it did
    /// (`count & ~3`). Compiled in only with `-D TINYNN_MVE`.
    @usableFromInline @_extern(c, "tinynn_sgd_mve")
    static func sgdMVE(
        _ p: UnsafeMutablePointer<Float>, _ sum: UnsafePointer<Float>, _ count: Int,
        _ scale: Float, _ lambda: Float, _ negativeEta: Float) -> Int
    #endif

    /// One update step's constants for one tensor, and the update of one
    /// parameter (or eight) from its gradient sum: the formulas in the
    /// ``Optimizer`` summary, elementwise, so any grouping of parameters into
    /// vectors gives the same bits.
    public struct Step {
        public let kind: Kind
        public let scale: Float
        public let lambda: Float
        public let negativeEta: Float
        public let eta: Float
        /// μ (momentum) or β₁ (Adam), and β₂.
        public let beta1: Float
        public let beta2: Float
        public let oneMinusBeta1: Float
        public let oneMinusBeta2: Float
        /// Adam's bias corrections `cₖ = 1 − βₖᵗ`.
        public let c1: Float
        public let c2: Float
        public let epsilon: Float

        /// - Parameters:
        ///   - batchSize: m ≥ 1.
        ///   - decays: whether λ applies (weights yes, biases no).
        ///   - clock: already ticked for this step.
        @inlinable
        public init(_ o: Optimizer, batchSize: Int, decays: Bool, clock: Clock) {
            kind = o.kind
            scale = 1 / Float(batchSize)
            lambda = decays ? o.weightDecay : 0
            eta = o.learningRate
            negativeEta = -o.learningRate
            beta1 = o.beta1; beta2 = o.beta2
            oneMinusBeta1 = 1 - o.beta1; oneMinusBeta2 = 1 - o.beta2
            c1 = 1 - clock.beta1Power; c2 = 1 - clock.beta2Power
            epsilon = o.epsilon
        }

        /// Updates parameters `p[k..<k+8]` from their gradient sums.
        /// - Parameters:
        ///   - state: the tensor's optimizer state `[stateCount][count]`; nil for SGD.
        ///   - count: the tensor's parameter count (the stride between state tensors).
        @inlinable @inline(__always)
        public func apply(
            _ p: UnsafeMutablePointer<Float>, _ sum: SIMD8<Float>, at k: Int,
            state: UnsafeMutablePointer<Float>?, count: Int
        ) {
            switch kind {
            case .sgd: applySGD(p, sum, at: k)
            case .momentum: applyMomentum(p, sum, at: k, state: state!)
            case .adam: applyAdam(p, sum, at: k, state: state!, count: count)
            }
        }

        /// Updates parameter `p[k]` from its gradient sum; see the vector form.
        @inlinable @inline(__always)
        public func apply(
            _ p: UnsafeMutablePointer<Float>, _ sum: Float, at k: Int,
            state: UnsafeMutablePointer<Float>?, count: Int
        ) {
            switch kind {
            case .sgd: applySGD(p, sum, at: k)
            case .momentum: applyMomentum(p, sum, at: k, state: state!)
            case .adam: applyAdam(p, sum, at: k, state: state!, count: count)
            }
        }

        /// `g = fma(λ, p, scale·Σ)`.
        @inlinable @inline(__always)
        func gradient(_ sum: SIMD8<Float>, _ p: SIMD8<Float>) -> SIMD8<Float> {
            (SIMD8(repeating: scale) * sum).addingProduct(SIMD8(repeating: lambda), p)
        }

        @inlinable @inline(__always)
        func gradient(_ sum: Float, _ p: Float) -> Float {
            (scale * sum).addingProduct(lambda, p)
        }

        /// SGD: `p = fma(−η, g, p)`.
        @inlinable @inline(__always)
        public func applySGD(_ p: UnsafeMutablePointer<Float>, _ sum: SIMD8<Float>, at k: Int) {
            let pk = Kernels.load8(p + k)
            Kernels.store8(pk.addingProduct(SIMD8(repeating: negativeEta), gradient(sum, pk)), p + k)
        }

        @inlinable @inline(__always)
        public func applySGD(_ p: UnsafeMutablePointer<Float>, _ sum: Float, at k: Int) {
            let pk = p[k]
            p[k] = pk.addingProduct(negativeEta, gradient(sum, pk))
        }

        /// Momentum: `v = fma(μ, v, −η·g)`; `p = p + v`. state: v `[count]`.
        @inlinable @inline(__always)
        public func applyMomentum(
            _ p: UnsafeMutablePointer<Float>, _ sum: SIMD8<Float>, at k: Int, state: UnsafeMutablePointer<Float>
        ) {
            let pk = Kernels.load8(p + k)
            let g = gradient(sum, pk)
            let vk = (SIMD8(repeating: negativeEta) * g).addingProduct(SIMD8(repeating: beta1), Kernels.load8(state + k))
            Kernels.store8(vk, state + k)
            Kernels.store8(pk + vk, p + k)
        }

        @inlinable @inline(__always)
        public func applyMomentum(
            _ p: UnsafeMutablePointer<Float>, _ sum: Float, at k: Int, state: UnsafeMutablePointer<Float>
        ) {
            let pk = p[k]
            let g = gradient(sum, pk)
            let vk = (negativeEta * g).addingProduct(beta1, state[k])
            state[k] = vk
            p[k] = pk + vk
        }

        /// Adam: `m₁ = fma(β₁, m₁, (1−β₁)·g)`; `m₂ = fma(β₂, m₂, (1−β₂)·g·g)`;
        /// `p = p − η·(m₁/c₁) / (√(m₂/c₂) + ε)`. state: m₁ `[count]`, then m₂ `[count]`.
        @inlinable @inline(__always)
        public func applyAdam(
            _ p: UnsafeMutablePointer<Float>, _ sum: SIMD8<Float>, at k: Int,
            state: UnsafeMutablePointer<Float>, count: Int
        ) {
            let m1 = state + k, m2 = m1 + count
            let pk = Kernels.load8(p + k)
            let g = gradient(sum, pk)
            let m1k = (SIMD8(repeating: oneMinusBeta1) * g).addingProduct(SIMD8(repeating: beta1), Kernels.load8(m1))
            let m2k = (SIMD8(repeating: oneMinusBeta2) * g * g).addingProduct(SIMD8(repeating: beta2), Kernels.load8(m2))
            Kernels.store8(m1k, m1)
            Kernels.store8(m2k, m2)
            let mHat = m1k / SIMD8(repeating: c1)
            let vHat = m2k / SIMD8(repeating: c2)
            let root = Kernels.squareRoot(vHat) + SIMD8(repeating: epsilon)
            Kernels.store8(pk - SIMD8(repeating: eta) * mHat / root, p + k)
        }

        @inlinable @inline(__always)
        public func applyAdam(
            _ p: UnsafeMutablePointer<Float>, _ sum: Float, at k: Int,
            state: UnsafeMutablePointer<Float>, count: Int
        ) {
            let m1 = state + k, m2 = m1 + count
            let pk = p[k]
            let g = gradient(sum, pk)
            let m1k = (oneMinusBeta1 * g).addingProduct(beta1, m1[0])
            let m2k = (oneMinusBeta2 * g * g).addingProduct(beta2, m2[0])
            m1[0] = m1k
            m2[0] = m2k
            let mHat = m1k / c1
            let vHat = m2k / c2
            p[k] = pk - eta * mHat / (Kernels.squareRoot(vHat) + epsilon)
        }
    }
}
