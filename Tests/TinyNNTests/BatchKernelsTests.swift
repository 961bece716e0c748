import Testing
import TinyNN

/// The batched kernels' fused gradient-and-update step against the
/// per-sample oracle (``Kernels/accumulateGradients`` sample by sample, then
/// ``Optimizer/update``), bit for bit, including parameters that are ±0,
/// subnormal, ±∞ or NaN and gradient sums that are ±0 — the inputs where a
/// rewritten update (such as SGD without decay, which forms `+0·p` without a
/// multiplier) could differ. NaN must meet NaN (payload bits are not
/// compared: targets disagree on them).
@Suite struct BatchKernelsTests {
    struct Shape: CustomStringConvertible, Sendable {
        var inCount: Int, outCount: Int, batchCount: Int
        var description: String { "[\(inCount)→\(outCount)] ×\(batchCount)" }
    }

    /// Row counts that use the 5-, 4- and 1-row tiles; column counts with
    /// and without 16- and 8-wide remainders.
    static let shapes = [Shape(inCount: 784, outCount: 30, batchCount: 10), Shape(inCount: 30, outCount: 10, batchCount: 10),
                         Shape(inCount: 37, outCount: 14, batchCount: 3), Shape(inCount: 5, outCount: 9, batchCount: 1),
                         Shape(inCount: 64, outCount: 7, batchCount: 7)]

    static let optimizers: [Optimizer] = [
        .sgd(learningRate: 3), .sgd(learningRate: 0.5, weightDecay: 0.01), .sgd(learningRate: 0.1, weightDecay: -0.0),
        .momentum(learningRate: 0.05), .adam(learningRate: 0.001, weightDecay: 1e-4),
    ]

    /// A parameter, a δ or an input: mostly ordinary, sometimes special.
    static func value(_ r: inout Random, specials: [Float]) -> Float {
        let u = r.below(16)
        return u < UInt32(specials.count) ? specials[Int(u)] : 2 * r.uniform() - 1
    }

    static func sameBits(_ x: Float, _ y: Float) -> Bool {
        x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern
    }

    /// The batched activation (eight lanes at a time, then a partial vector)
    /// against ``Activation/apply`` sample by sample, for every activation and
    /// every count of values up to 5 × 13, special values included.
    @Test(arguments: [Activation.identity, .sigmoid, .tanh, .relu, .leakyReLU, .softmax])
    func activationOverTheBatchMatchesPerSample(_ activation: Activation) {
        var r = Random(seed: 13)
        let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, 200, -200, 1e-30]
        for width in 1...13 {
            for batch in 1...5 {
                let z = (0..<(width * batch)).map { _ in Self.value(&r, specials: specials) * 12 }
                var expected = [Float](repeating: 0, count: z.count), actual = expected
                z.withUnsafeBufferPointer { zs in
                    expected.withUnsafeMutableBufferPointer { out in
                        for s in 0..<batch {
                            activation.apply(z: zs.baseAddress! + s * width, a: out.baseAddress! + s * width, count: width,
                                             leakySlope: 0.2)
                        }
                    }
                }
                Kernels.activateBatch(activation, z: z, a: &actual, width: width, batchCount: batch, leakySlope: 0.2)
                #expect(zip(expected, actual).allSatisfy { Self.sameBits($0, $1) }, "width \(width), batch \(batch)")
            }
        }
    }

    /// The forward kernel with `copy` (the first row pair copies the inputs,
    /// the others read the copy) against itself without, and against the
    /// single-sample kernel; the copy holds the inputs. Input offsets of 0–7
    /// floats from a 32-byte boundary.
    @Test(arguments: shapes, [0, 1, 4, 7])
    func forwardWithCopyMatchesForwardPerSample(_ shape: Shape, _ offset: Int) {
        let (n, m, batch) = (shape.inCount, shape.outCount, shape.batchCount)
        var r = Random(seed: 12)
        let w = (0..<(n * m)).map { _ in 2 * r.uniform() - 1 }, b = (0..<m).map { _ in 2 * r.uniform() - 1 }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * (batch * n + 8), alignment: 32)
        defer { raw.deallocate() }
        let a = raw.bindMemory(to: Float.self, capacity: batch * n + 8) + offset
        for k in 0..<(batch * n) { a[k] = 2 * r.uniform() - 1 }
        var zCopying = [Float](repeating: .nan, count: batch * m), zPlain = zCopying, zSingle = zCopying
        var copy = [Float](repeating: .nan, count: batch * n)
        Kernels.denseForwardBatch(w: w, b: b, a: a, z: &zCopying, inCount: n, outCount: m, batchCount: batch, copy: &copy)
        Kernels.denseForwardBatch(w: w, b: b, a: a, z: &zPlain, inCount: n, outCount: m, batchCount: batch)
        zSingle.withUnsafeMutableBufferPointer { z in
            for s in 0..<batch {
                Kernels.denseForward(w: w, b: b, a: a + s * n, z: z.baseAddress! + s * m, inCount: n, outCount: m)
            }
        }
        #expect(zCopying.map(\.bitPattern) == zSingle.map(\.bitPattern))
        #expect(zPlain.map(\.bitPattern) == zSingle.map(\.bitPattern))
        #expect((0..<(batch * n)).allSatisfy { copy[$0].bitPattern == a[$0].bitPattern })
    }

    @Test(arguments: shapes, optimizers)
    func gradientStepMatchesPerSampleAccumulationAndUpdate(_ shape: Shape, _ optimizer: Optimizer) {
        let (n, m, batch) = (shape.inCount, shape.outCount, shape.batchCount)
        var r = Random(seed: 11)
        let parameterSpecials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude]
        // Zeros in δ and a make whole gradient sums ±0 (a zero δ row, or a zero input column).
        let signalSpecials: [Float] = [0, -0.0, 0, -0.0, 0, -0.0]
        var w0 = (0..<(n * m)).map { _ in Self.value(&r, specials: parameterSpecials) }
        let b0 = (0..<m).map { _ in Self.value(&r, specials: parameterSpecials) }
        var delta = (0..<(batch * m)).map { _ in Self.value(&r, specials: signalSpecials) }
        var a = (0..<(batch * n)).map { _ in Self.value(&r, specials: signalSpecials) }
        // One all-zero input column and one all-zero δ row, whatever the draw;
        // and a −0 gradient sum: each product of the last row and column
        // underflows to −0, where the weight is −0.
        for s in 0..<batch {
            a[s * n + n / 2] = s % 2 == 0 ? 0 : -0.0
            delta[s * m + m / 2] = -0.0
            a[s * n + n - 1] = .leastNonzeroMagnitude
            delta[s * m + m - 1] = -.leastNonzeroMagnitude
        }
        w0[m * n - 1] = -0.0
        let states = optimizer.stateCount
        let stateW0 = (0..<(states * n * m)).map { _ in r.uniform() }, stateB0 = (0..<(states * m)).map { _ in r.uniform() }
        var clock = Optimizer.Clock()
        clock.tick(optimizer)

        // Oracle: per-sample accumulation from clear sums, then the optimizer.
        var w1 = w0, b1 = b0, stateW1 = stateW0, stateB1 = stateB0
        var gw = [Float](repeating: 0, count: n * m), gb = [Float](repeating: 0, count: m)
        for s in 0..<batch {
            delta.withUnsafeBufferPointer { d in
                a.withUnsafeBufferPointer { x in
                    Kernels.accumulateGradients(delta: d.baseAddress! + s * m, a: x.baseAddress! + s * n,
                                                gw: &gw, gb: &gb, inCount: n, outCount: m)
                }
            }
        }
        stateW1.withUnsafeMutableBufferPointer { sw in
            optimizer.update(&w1, gradientSum: gw, state: states > 0 ? sw.baseAddress! : nil, count: n * m,
                             batchSize: batch, decays: true, clock: clock)
        }
        stateB1.withUnsafeMutableBufferPointer { sb in
            optimizer.update(&b1, gradientSum: gb, state: states > 0 ? sb.baseAddress! : nil, count: m,
                             batchSize: batch, decays: false, clock: clock)
        }

        // The fused step.
        var w2 = w0, b2 = b0, stateW2 = stateW0, stateB2 = stateB0
        stateW2.withUnsafeMutableBufferPointer { sw in
            stateB2.withUnsafeMutableBufferPointer { sb in
                Kernels.denseGradientStep(
                    delta: delta, a: a, w: &w2, b: &b2,
                    stateW: states > 0 ? sw.baseAddress! : nil, stateB: states > 0 ? sb.baseAddress! : nil,
                    inCount: n, outCount: m, batchCount: batch,
                    weightStep: Optimizer.Step(optimizer, batchSize: batch, decays: true, clock: clock),
                    biasStep: Optimizer.Step(optimizer, batchSize: batch, decays: false, clock: clock))
            }
        }
        for k in 0..<(n * m) where !Self.sameBits(w1[k], w2[k]) {
            Issue.record(Comment(rawValue: "w[\(k)] (was \(w0[k])): \(w1[k]) vs \(w2[k])"))
            break
        }
        for j in 0..<m where !Self.sameBits(b1[j], b2[j]) {
            Issue.record(Comment(rawValue: "b[\(j)]: \(b1[j]) vs \(b2[j])"))
            break
        }
        #expect(zip(stateW1, stateW2).allSatisfy { Self.sameBits($0, $1) })
        #expect(zip(stateB1, stateB2).allSatisfy { Self.sameBits($0, $1) })
        // The special values were there and some sums were ±0.
        #expect(w0.contains { $0.isNaN } && w0.contains { $0 == 0 && $0.sign == .minus })
        #expect(gw.contains { $0 == 0 } && gw[m * n - 1] == 0 && gw[m * n - 1].sign == .minus)
    }
}
