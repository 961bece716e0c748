import Testing
import TinyNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The integer softmax: its exponential against `exp2` in Double, known
/// answers, and its probabilities against the float softmax of the same
/// (dequantized) logits, with the measured error printed.
@Suite struct Int8SoftmaxTests {
    static func beta(_ scale: Double) -> Int32 { Int32((scale * 1.4426950408889634 * 1048576).rounded()) }

    @Test func exp2KnownAnswers() {
        #expect(Int8Softmax.exp2Negative(q20: 0) == 65536)
        #expect(Int8Softmax.exp2Negative(q20: 1 << 20) == 32768)
        #expect(Int8Softmax.exp2Negative(q20: 3 << 20) == 8192)
        #expect(Int8Softmax.exp2Negative(q20: 1 << 19) == 46340)    // 2^−½·2¹⁶ = 46340.95; the table's 23170·2
        #expect(Int8Softmax.exp2Negative(q20: 17 << 20) == 0)
        #expect(Int8Softmax.exp2Negative(q20: Int32.max) == 0)
    }

    /// Within 10⁻⁴ relative plus one unit of the last place (the final
    /// truncating shift) of 2^−t·2¹⁶ over t in [0, 16] (every 37th Q20 step:
    /// every table entry and fraction).
    @Test func exp2IsClose() {
        var worst = 0.0, count = 0
        var t: Int32 = 0
        while t < 16 << 20 {
            let exact = exp2(-Double(t) / 1048576) * 65536
            let got = Double(Int8Softmax.exp2Negative(q20: t))
            worst = max(worst, (abs(got - exact) - 1) / exact)
            count += 1
            t += 37
        }
        #expect(count > 400_000)
        #expect(worst < 1e-4, "worst relative error \(worst)")
        print("Int8Softmax.exp2Negative: worst relative error beyond one unit \(worst) over \(count) points")
    }

    @Test func probabilitiesKnownAnswers() {
        var p = [Int8](repeating: 0, count: 2), e = [Int32](repeating: 0, count: 2)
        Int8Softmax.probabilities([5, 5], count: 2, beta: Self.beta(0.1), into: &p, scratch: &e)
        #expect(p == [0, 0])                 // ½ each: (0 + 128)/256
        Int8Softmax.probabilities([-100], count: 1, beta: Self.beta(0.1), into: &p, scratch: &e)
        #expect(p[0] == 127)                 // 1, the largest int8
        Int8Softmax.probabilities([127, -128], count: 2, beta: Self.beta(1.0), into: &p, scratch: &e)
        #expect(p == [127, -128])            // e^−255: 1 and 0
    }

    /// Against the float softmax of the same logits `s·q` in Double, over
    /// random 10-logit vectors at three scales: the error is at most 1/256
    /// (a probability near 1 is 127/256 short of 128) and 1/512 + 10⁻³ otherwise.
    @Test func probabilitiesAgainstFloatSoftmax() {
        var r = Random(seed: 21)
        var worst = 0.0, worstBelowOne = 0.0, compared = 0
        for scale in [0.02, 0.1, 0.3] {
            for _ in 0..<2_000 {
                let q = (0..<10).map { _ in Int8(truncatingIfNeeded: r.next()) }
                var p = [Int8](repeating: 0, count: 10), e = [Int32](repeating: 0, count: 10)
                Int8Softmax.probabilities(q, count: 10, beta: Self.beta(scale), into: &p, scratch: &e)
                let ex = q.map { exp(scale * Double($0)) }
                let sum = ex.reduce(0, +)
                for j in 0..<10 {
                    let exact = ex[j] / sum, got = (Double(p[j]) + 128) / 256
                    worst = max(worst, abs(got - exact))
                    if exact < 0.99 { worstBelowOne = max(worstBelowOne, abs(got - exact)) }
                    compared += 1
                }
            }
        }
        #expect(compared == 60_000)
        #expect(worst <= 1.0 / 256 + 1e-6, "worst \(worst)")
        #expect(worstBelowOne <= 1.0 / 512 + 1e-3, "worst below 0.99: \(worstBelowOne)")
        print("Int8Softmax.probabilities: max |p − softmax| \(worst) (\(worstBelowOne) where softmax < 0.99) over \(compared) outputs")
    }

}
