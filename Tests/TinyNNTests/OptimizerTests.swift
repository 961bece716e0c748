import Testing
import TinyNN

/// The vectorized update rules against the scalar formulas of the
/// `Optimizer` summary, bit for bit, and the fused gradient-and-update
/// kernel against gradient accumulation followed by the update.
@Suite struct OptimizerTests {
    static let optimizers: [Optimizer] = [
        .sgd(learningRate: 0.5), .sgd(learningRate: 3, weightDecay: 0.01),
        .momentum(learningRate: 0.1, momentum: 0.9), .momentum(learningRate: 0.1, momentum: 0.5, weightDecay: 1e-3),
        .adam(learningRate: 0.001), .adam(learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 1e-4),
    ]

    /// The update written out one parameter at a time: the oracle.
    static func oracleUpdate(_ o: Optimizer, p: inout [Float], sum: [Float], state: inout [Float],
                             batchSize: Int, decays: Bool, clock: Optimizer.Clock) {
        let scale = 1 / Float(batchSize)
        let lambda: Float = decays ? o.weightDecay : 0
        let count = p.count
        for k in 0..<count {
            let g = (scale * sum[k]).addingProduct(lambda, p[k])
            switch o.kind {
            case .sgd:
                p[k] = p[k].addingProduct(-o.learningRate, g)
            case .momentum:
                state[k] = (-o.learningRate * g).addingProduct(o.beta1, state[k])
                p[k] = p[k] + state[k]
            case .adam:
                state[k] = ((1 - o.beta1) * g).addingProduct(o.beta1, state[k])
                state[count + k] = ((1 - o.beta2) * g * g).addingProduct(o.beta2, state[count + k])
                let mHat = state[k] / (1 - clock.beta1Power)
                let vHat = state[count + k] / (1 - clock.beta2Power)
                p[k] = p[k] - o.learningRate * mHat / (vHat.squareRoot() + o.epsilon)
            }
        }
    }

    static func randomFloats(_ n: Int, _ r: inout Random, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in scale * (2 * r.uniform() - 1) }
    }

    @Test(arguments: optimizers, [1, 7, 8, 13, 100])
    func updateMatchesScalarFormulas(optimizer o: Optimizer, count: Int) {
        var r = Random(seed: UInt64(count))
        var p = Self.randomFloats(count, &r), expectedP = p
        let initial = p
        var state = [Float](repeating: 0, count: max(o.stateCount, 1) * count), expectedState = state
        var clock = Optimizer.Clock()
        // Five steps, so that Adam's moments and bias corrections move.
        for step in 0..<5 {
            clock.tick(o)
            let sum = Self.randomFloats(count, &r, scale: 4)
            for decays in [true, false] {
                state.withUnsafeMutableBufferPointer { st in
                    o.update(&p, gradientSum: sum, state: o.stateCount > 0 ? st.baseAddress! : nil, count: count,
                             batchSize: 10, decays: decays, clock: clock)
                }
                Self.oracleUpdate(o, p: &expectedP, sum: sum, state: &expectedState, batchSize: 10,
                                  decays: decays, clock: clock)
                #expect(p.map(\.bitPattern) == expectedP.map(\.bitPattern), "step \(step) decays \(decays)")
                #expect(state.map(\.bitPattern) == expectedState.map(\.bitPattern), "state, step \(step)")
            }
        }
        // The parameters moved (a no-op on both sides would also agree).
        #expect(p != initial)
    }

    struct Shape: CustomStringConvertible, Sendable {
        var inCount: Int, outCount: Int, batchCount: Int
        var description: String { "[\(inCount)→\(outCount)]×\(batchCount)" }
    }

    static let shapes: [Shape] = [(1, 1, 1), (5, 3, 2), (16, 4, 10), (23, 9, 7), (100, 10, 10), (64, 32, 3)]
        .map { Shape(inCount: $0.0, outCount: $0.1, batchCount: $0.2) }

    @Test(arguments: optimizers, shapes)
    func fusedGradientStepMatchesAccumulateThenUpdate(optimizer o: Optimizer, shape: Shape) {
        var r = Random(seed: 31)
        let (n, m, bc) = (shape.inCount, shape.outCount, shape.batchCount)
        let delta = Self.randomFloats(bc * m, &r), a = Self.randomFloats(bc * n, &r)
        var w = Self.randomFloats(n * m, &r), b = Self.randomFloats(m, &r)
        var sw = Self.randomFloats(max(o.stateCount, 1) * n * m, &r).map { abs($0) }
        var sb = Self.randomFloats(max(o.stateCount, 1) * m, &r).map { abs($0) }
        var ew = w, eb = b, esw = sw, esb = sb
        var clock = Optimizer.Clock()
        clock.tick(o); clock.tick(o)
        // Expected: accumulate sample by sample from clear sums, then update.
        var gw = [Float](repeating: 0, count: n * m), gb = [Float](repeating: 0, count: m)
        for s in 0..<bc {
            Kernels.accumulateGradients(delta: Array(delta[(s * m)..<((s + 1) * m)]), a: Array(a[(s * n)..<((s + 1) * n)]),
                                        gw: &gw, gb: &gb, inCount: n, outCount: m)
        }
        esw.withUnsafeMutableBufferPointer { st in
            o.update(&ew, gradientSum: gw, state: o.stateCount > 0 ? st.baseAddress! : nil, count: n * m,
                     batchSize: bc, decays: true, clock: clock)
        }
        esb.withUnsafeMutableBufferPointer { st in
            o.update(&eb, gradientSum: gb, state: o.stateCount > 0 ? st.baseAddress! : nil, count: m,
                     batchSize: bc, decays: false, clock: clock)
        }
        let ws = Optimizer.Step(o, batchSize: bc, decays: true, clock: clock)
        let bs = Optimizer.Step(o, batchSize: bc, decays: false, clock: clock)
        sw.withUnsafeMutableBufferPointer { stw in
            sb.withUnsafeMutableBufferPointer { stb in
                Kernels.denseGradientStep(
                    delta: delta, a: a, w: &w, b: &b,
                    stateW: o.stateCount > 0 ? stw.baseAddress! : nil, stateB: o.stateCount > 0 ? stb.baseAddress! : nil,
                    inCount: n, outCount: m, batchCount: bc, weightStep: ws, biasStep: bs)
            }
        }
        #expect(w.map(\.bitPattern) == ew.map(\.bitPattern))
        #expect(b.map(\.bitPattern) == eb.map(\.bitPattern))
        #expect(sw.map(\.bitPattern) == esw.map(\.bitPattern))
        #expect(sb.map(\.bitPattern) == esb.map(\.bitPattern))
    }
}

extension Optimizer: CustomTestStringConvertible {
    public var testDescription: String {
        "\(kind) η=\(learningRate) λ=\(weightDecay)"
    }
}
