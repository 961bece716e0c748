import Testing
import TinyNN

/// The requantization's rounding, against hand-computed cases (ties, the
/// double rounding, saturation) and against an independent 64-bit spelling
/// of gemmlowp's definitions.
@Suite struct RequantizationTests {
    typealias R = Requantization

    /// gemmlowp's SaturatingRoundingDoublingHighMul as written there: a nudge
    /// of 2³⁰ or 1 − 2³⁰, then a division truncating toward zero.
    static func gemmlowpHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == .min { return .max }
        let ab = Int64(a) * Int64(b)
        let nudge: Int64 = ab >= 0 ? 1 << 30 : 1 - (1 << 30)
        return Int32((ab + nudge) / (1 << 31))
    }

    /// Round half away from zero of x / 2^e, in Double (exact for these sizes).
    static func roundAway(_ x: Int32, _ e: Int32) -> Int32 {
        let q = Double(x) / Double(1 << Int64(e))
        return Int32(q < 0 ? -(-q + 0.5).rounded(.down) : (q + 0.5).rounded(.down))
    }

    @Test func highMulKnownAnswers() {
        #expect(R.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30) == 1 << 29)  // exact: 2⁶⁰/2³¹
        #expect(R.saturatingRoundingDoublingHighMul(1, 1 << 30) == 1)              // 0.5 → 1
        #expect(R.saturatingRoundingDoublingHighMul(-1, 1 << 30) == 0)             // −0.5 → 0 (toward +∞)
        #expect(R.saturatingRoundingDoublingHighMul(3, 1 << 30) == 2)              // 1.5 → 2
        #expect(R.saturatingRoundingDoublingHighMul(-3, 1 << 30) == -1)            // −1.5 → −1
        #expect(R.saturatingRoundingDoublingHighMul(-5, 1 << 30) == -2)            // −2.5 → −2
        #expect(R.saturatingRoundingDoublingHighMul(7, 0x2000_0000) == 2)          // 1.75 → 2
        #expect(R.saturatingRoundingDoublingHighMul(.min, .min) == .max)           // the one saturation
        #expect(R.saturatingRoundingDoublingHighMul(.min, .max) == -0x7FFF_FFFF)   // −2³¹ + 1, exact
        #expect(R.saturatingRoundingDoublingHighMul(.max, .max) == 0x7FFF_FFFE)    // (2³¹−1)²/2³¹ = 2³¹ − 2 + 2⁻³¹
    }

    @Test func highMulMatchesGemmlowpSpelling() {
        var r = Random(seed: 3)
        var compared = 0
        for k in 0..<20_000 {
            var a = Int32(bitPattern: r.next()), b = Int32(bitPattern: r.next())
            if k % 4 == 1 { a = a >> 12 }          // small products: ties and near-ties
            if k % 4 == 2 { a = a >> 24; b = 1 << 30 }  // exact halves
            #expect(R.saturatingRoundingDoublingHighMul(a, b) == Self.gemmlowpHighMul(a, b))
            compared += 1
        }
        #expect(compared == 20_000)
    }

    @Test func roundingDivideKnownAnswers() {
        #expect(R.roundingDivideByPOT(5, 1) == 3)     // 2.5 → 3
        #expect(R.roundingDivideByPOT(-5, 1) == -3)   // −2.5 → −3 (away from zero)
        #expect(R.roundingDivideByPOT(4, 1) == 2)
        #expect(R.roundingDivideByPOT(6, 2) == 2)     // 1.5 → 2
        #expect(R.roundingDivideByPOT(-6, 2) == -2)   // −1.5 → −2
        #expect(R.roundingDivideByPOT(-7, 2) == -2)   // −1.75 → −2
        #expect(R.roundingDivideByPOT(-5, 2) == -1)   // −1.25 → −1
        #expect(R.roundingDivideByPOT(123, 0) == 123)
        #expect(R.roundingDivideByPOT(.max, 31) == 1)
        #expect(R.roundingDivideByPOT(.min, 31) == -1)
        #expect(R.roundingDivideByPOT(-0x4000_0000, 31) == -1)  // −0.5 → −1
    }

    /// The ARMv6-M spelling from 16-bit halves (TINYNN_THUMB1_INT8) against
    /// gemmlowp's 64-bit one: random words, small and negative halves, and the
    /// corners (0, ±1, ±2¹⁶, Int32.min/max) crossed.
    @Test func highMulInHalvesMatchesGemmlowpSpelling() {
        var r = Random(seed: 6)
        var compared = 0
        let corners: [Int32] = [0, 1, -1, 0xFFFF, 0x1_0000, -0x1_0000, 0x7FFF, -0x8000, .max, .min, .min + 1, 1 << 30]
        for a in corners {
            for b in corners where !(a == .min && b == .min) {
                #expect(R.highMulInHalves(a, b) == Self.gemmlowpHighMul(a, b), "a \(a) b \(b)")
                compared += 1
            }
        }
        for k in 0..<50_000 {
            var a = Int32(bitPattern: r.next()), b = Int32(bitPattern: r.next())
            if k % 3 == 1 { a = a >> Int32(k % 31) }
            if k % 5 == 2 { b = b & 0x7FFF_0000 }
            if a == .min && b == .min { continue }
            #expect(R.highMulInHalves(a, b) == Self.gemmlowpHighMul(a, b), "a \(a) b \(b)")
            compared += 1
        }
        #expect(compared > 50_000 - 10)
        #expect(R.highMulInHalves(.min, .min) == .min)   // the one product that wraps; the caller saturates it
    }

    @Test func roundingDivideMatchesRoundHalfAwayFromZero() {
        var r = Random(seed: 4)
        for k in 0..<20_000 {
            let x = Int32(bitPattern: r.next()) >> Int32(k % 31), e = Int32(r.next() % 32)
            #expect(R.roundingDivideByPOT(x, e) == Self.roundAway(x, e), "x \(x) e \(e)")
        }
    }

    @Test func multiplyKnownAnswers() {
        #expect(R.multiply(100, by: 1 << 30, shift: 0) == 50)          // ×0.5
        #expect(R.multiply(16, by: 0x6000_0000, shift: -2) == 3)       // ×0.75/4 = ×0.1875
        #expect(R.multiply(3, by: 1 << 30, shift: -1) == 1)            // 0.75: 1.5 → 2, then 1 → 1
        #expect(R.multiply(5, by: 1 << 30, shift: -1) == 2)            // 1.25: the double rounding, 2.5 → 3 → 1.5 → 2
        #expect(R.multiply(3, by: 1 << 30, shift: 2) == 6)             // ×0.5·4
        #expect(R.multiply(-3, by: 1 << 30, shift: 0) == -1)           // −1.5 → −1
        #expect(R.multiply(.min, by: .min, shift: 0) == .max)          // saturation
        #expect(R.multiply(1000, by: 0, shift: -5) == 0)
    }

    /// Against exact rational rounding: within one unit of x·M (the double rounding's bound).
    @Test func multiplyIsWithinOneOfTheRealProduct() {
        var r = Random(seed: 5)
        for _ in 0..<5_000 {
            let x = Int32(bitPattern: r.next()) >> 8
            let m = Int32(0x4000_0000 | (r.next() & 0x3FFF_FFFF)), shift = -Int32(r.next() % 20)
            let real = Double(x) * Double(m) / Double(1 << 31) / Double(1 << Int64(-shift))
            #expect(abs(Double(R.multiply(x, by: m, shift: shift)) - real) <= 1)
        }
    }
}
