import Testing
import TinyNN

/// The requantization's one rounding, against hand-computed cases (ties,
/// the difference from gemmlowp's double rounding, both shift directions) and
/// against two independent 64-bit spellings: the definition and CMSIS-NN's.
@Suite struct RequantizationTests {
    typealias R = Requantization

    /// The definition in `Int64`: `⌊(x·m + 2^(T−1)) / 2^T⌋`, `T = 31 − shift`, wrapped to 32 bits.
    static func exact(_ x: Int32, _ m: Int32, _ shift: Int32) -> Int32 {
        let t = Int64(31 - shift)
        return Int32(truncatingIfNeeded: (Int64(x) * Int64(m) + (Int64(1) << (t - 1))) >> t)
    }

    /// CMSIS-NN's single-rounding spelling: `((x·m >> (T − 1)) + 1) >> 1`.
    static func cmsisSingleRounding(_ x: Int32, _ m: Int32, _ shift: Int32) -> Int32 {
        let t = Int64(31 - shift)
        return Int32(truncatingIfNeeded: (((Int64(x) * Int64(m)) >> (t - 1)) + 1) >> 1)
    }

    @Test func highWordKnownAnswers() {
        #expect(R.highWord(1 << 30, 1 << 30) == 1 << 28)
        #expect(R.highWord(1, 1) == 0)
        #expect(R.highWord(-1, 1) == -1)                   // ⌊−2⁻³²⌋
        #expect(R.highWord(.min, .min) == 1 << 30)
        #expect(R.highWord(.max, .max) == 0x3FFF_FFFF)
        #expect(R.highWord(.min, .max) == -0x3FFF_FFFF - 1)
    }

    /// The ARMv6-M spelling from 16-bit halves (TINYNN_THUMB1_INT8) and the
    /// full-width one against `Int64`: the corners crossed, then random words
    /// with small and negative halves.
    @Test func highWordInHalvesMatchesInt64() {
        var r = Random(seed: 6)
        var compared = 0
        let corners: [Int32] = [0, 1, -1, 0xFFFF, 0x1_0000, -0x1_0000, 0x7FFF, -0x8000, .max, .min, .min + 1, 1 << 30]
        func check(_ a: Int32, _ b: Int32) {
            let want = Int32(truncatingIfNeeded: (Int64(a) * Int64(b)) >> 32)
            #expect(R.highWordInHalves(a, b) == want, "a \(a) b \(b)")
            #expect(R.highWord(a, b) == want, "a \(a) b \(b)")
            compared += 1
        }
        for a in corners { for b in corners { check(a, b) } }
        for k in 0..<50_000 {
            var a = Int32(bitPattern: r.next()), b = Int32(bitPattern: r.next())
            if k % 3 == 1 { a = a >> Int32(k % 31) }
            if k % 5 == 2 { b = b & 0x7FFF_0000 }
            check(a, b)
        }
        #expect(compared == 144 + 50_000)
    }

    @Test func multiplyKnownAnswers() {
        #expect(R.multiply(100, by: 1 << 30, shift: 0) == 50)          // ×0.5
        #expect(R.multiply(16, by: 0x6000_0000, shift: -2) == 3)       // ×0.75/4 = ×0.1875
        #expect(R.multiply(3, by: 1 << 30, shift: -1) == 1)            // 0.75 → 1
        #expect(R.multiply(5, by: 1 << 30, shift: -1) == 1)            // 1.25 → 1 (double rounding gave 2)
        #expect(R.multiply(4, by: 1 << 30, shift: -2) == 1)            // 0.5 → 1, ties toward +∞
        #expect(R.multiply(-4, by: 1 << 30, shift: -2) == 0)           // −0.5 → 0
        #expect(R.multiply(-3, by: 1 << 30, shift: 0) == -1)           // −1.5 → −1
        #expect(R.multiply(-5, by: 1 << 30, shift: -1) == -1)          // −1.25 → −1
        #expect(R.multiply(3, by: 1 << 30, shift: 2) == 6)             // ×0.5·4
        #expect(R.multiply(3, by: 1 << 30, shift: 1) == 3)             // T = 30
        #expect(R.multiply(-7, by: 1 << 30, shift: -32 + 31) == -2)    // T = 32: −1.75 → −2
        #expect(R.multiply(1000, by: 0, shift: -5) == 0)
        #expect(R.multiply(1 << 20, by: 1 << 30, shift: -20) == 1)     // T = 51: 2⁵⁰/2⁵¹ = 0.5 → 1
    }

    /// Every shift, both spellings, random and small sums: the general path
    /// (T ≤ 32) and the layer-constant one (T ≥ 33) are the definition.
    @Test func multiplyMatchesTheDefinitionAndCMSISNN() {
        var r = Random(seed: 5)
        var compared = 0, fast = 0
        for k in 0..<40_000 {
            var x = Int32(bitPattern: r.next())
            if k % 2 == 1 { x = x >> Int32(k % 31) }
            let m = Int32(bitPattern: r.next() & 0x7FFF_FFFF)
            let shift = Int32(k % 62) - 31
            let want = Self.exact(x, m, shift)
            #expect(R.multiply(x, by: m, shift: shift) == want, "x \(x) m \(m) shift \(shift)")
            #expect(Self.cmsisSingleRounding(x, m, shift) == want)
            if shift <= -2 {
                let k = -1 - shift
                #expect(R.multiply(x, by: m, half: 1 << (k - 1), k: k) == want)
                fast += 1
            }
            compared += 1
        }
        #expect(compared == 40_000 && fast > 18_000)
    }

    /// Within ½ of the real product x·M (double rounding's bound is 1).
    @Test func multiplyIsWithinHalfOfTheRealProduct() {
        var r = Random(seed: 7)
        for _ in 0..<5_000 {
            let x = Int32(bitPattern: r.next()) >> 8
            let m = Int32(0x4000_0000 | (r.next() & 0x3FFF_FFFF)), shift = -Int32(r.next() % 20)
            let real = Double(x) * Double(m) / Double(1 << 31) / Double(1 << Int64(-shift))
            #expect(abs(Double(R.multiply(x, by: m, shift: shift)) - real) <= 0.5)
        }
    }
}
