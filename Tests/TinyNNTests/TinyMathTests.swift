import Foundation
import Testing
import TinyNN

// Each accuracy test sweeps an evenly spaced sample of Float bit patterns
// (every `stride`-th one, a prime so the sample hits every binade and mantissa
// pattern) and compares with the libm function in Double, whose own error
// (< 1 Double ulp) is 2⁻²⁹ of a Float ulp: negligible. The tolerance is the
// maximum measured over EVERY Float input (an exhaustive release-mode run,
// stated in each function's doc comment), so a sample can only reach it if
// the implementation got worse.

// MARK: - Helpers

/// |y − reference| in ulps of Float at the reference's binade (subnormal ulp
/// below 2⁻¹²⁶), so an error of 0.5 is a correctly rounded result.
private func ulpError(_ y: Float, _ reference: Double) -> Double {
    if reference.isNaN { return y.isNaN ? 0 : .infinity }
    if y.isInfinite || reference.isInfinite || Float(reference).isInfinite {
        return y == Float(reference) ? 0 : .infinity
    }
    let exponent = max(Int(reference.exponent), -126)
    let ulp = Double(sign: .plus, exponent: exponent - 23, significand: 1)
    return abs(Double(y) - reference) / ulp
}

private struct Sweep {
    var maxError = 0.0
    var worstInput: Float = 0
    var count = 0
}

/// Every `stride`-th bit pattern from `first` through `last`, both included.
private func sweep(
    _ first: UInt32, through last: UInt32, stride: UInt32,
    _ f: (Float) -> Float, _ reference: (Double) -> Double
) -> Sweep {
    var result = Sweep()
    var bits = first
    while true {
        let x = Float(bitPattern: bits)
        let error = ulpError(f(x), reference(Double(x)))
        result.count += 1
        if error > result.maxError {
            result.maxError = error
            result.worstInput = x
        }
        if last - bits < stride { break }
        bits += stride
    }
    return result
}

/// Sweep bounds: bit patterns grow with |x|, so a negative range runs from
/// bits(−0.0) to bits(−a).
private func bits(_ x: Float) -> UInt32 { x.bitPattern }

private func sigmoidReference(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

/// FNV-1a over 32-bit words, for pinning output bits.
private func fnv1a(_ words: [UInt32]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for word in words {
        for shift in Swift.stride(from: 0, to: 32, by: 8) {
            hash ^= UInt64((word >> UInt32(shift)) & 0xff)
            hash &*= 0x0000_0100_0000_01b3
        }
    }
    return hash
}

// MARK: - exp

@Suite struct TinyMathExpTests {
    // Measured over every Float (exhaustive run): 1.093 ulp, at x = 5.198943
    // (the degree-4 polynomial's error plus the rounding of 1 + r + r²·P).
    static let bound = 1.10

    @Test func accuracyOverWholeRange() {
        // x in (−104, 89) covers every input that is not a cut-off; outside,
        // the results are exact (+0 or +∞) and checked below.
        for (first, last) in [(bits(0), bits(89)), (bits(-0.0), bits(-104))] {
            let s = sweep(first, through: last, stride: 1021, TinyMath.exp, Foundation.exp)
            #expect(s.maxError <= Self.bound, "exp max error \(s.maxError) ulp at \(s.worstInput)")
            #expect(s.count > 1_000_000)
        }
    }

    @Test func accuracyNearCutOffs() {
        // Every Float within 2¹⁶ patterns of each cut-off: the 2ᵏ scaling
        // (subnormal results, 2¹²⁸) is only exercised here.
        for edge: Float in [0x1.62e42ep6, -0x1.9fe368p6, -0x1.5d58a0p6 /* ln 2⁻¹²⁶ */] {
            let s = sweep(bits(edge) - 65_536, through: bits(edge) + 65_536, stride: 1,
                          TinyMath.exp, Foundation.exp)
            #expect(s.maxError <= Self.bound, "exp max error \(s.maxError) ulp at \(s.worstInput)")
        }
    }

    @Test func specialValues() {
        #expect(TinyMath.exp(.nan).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.exp(-.nan).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.exp(.signalingNaN).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.exp(.infinity) == .infinity)
        #expect(TinyMath.exp(-.infinity).bitPattern == Float(0).bitPattern)
        #expect(TinyMath.exp(0) == 1)
        #expect(TinyMath.exp(-0.0) == 1)
        #expect(TinyMath.exp(.leastNonzeroMagnitude) == 1)
        #expect(TinyMath.exp(1) == 0x1.5bf0a8p1)  // e, correctly rounded
        // Overflow: e^0x1.62e42ep6 is below the largest Float (rounded); the
        // next Float's value rounds to +∞.
        #expect(TinyMath.exp(0x1.62e42ep6) == 0x1.ffff08p127)
        #expect(TinyMath.exp(0x1.62e430p6) == .infinity)
        // Underflow: e^x for x ≤ −0x1.9fe36ap6 is below 2⁻¹⁵⁰, half the
        // least subnormal, and rounds to +0; at the next Float up it is
        // 2⁻¹⁵⁰·(1 + 7·10⁻⁷) and rounds to the least subnormal.
        #expect(TinyMath.exp(-0x1.9fe368p6) == .leastNonzeroMagnitude)
        #expect(TinyMath.exp(-0x1.9fe36ap6).bitPattern == 0)
        #expect(TinyMath.exp(-0x1.5d58a0p6) == 0x1.ffff98p-127)  // just below 2⁻¹²⁶
    }
}

// MARK: - log

@Suite struct TinyMathLogTests {
    // Measured over every positive finite Float (exhaustive run): 0.840 ulp.
    static let bound = 0.84

    @Test func accuracyOverWholeRange() {
        let s = sweep(1, through: Float.greatestFiniteMagnitude.bitPattern, stride: 691,
                      TinyMath.log, Foundation.log)
        #expect(s.maxError <= Self.bound, "log max error \(s.maxError) ulp at \(s.worstInput)")
        #expect(s.count > 3_000_000)
    }

    @Test func accuracyNearOne() {
        // ln x ≈ x − 1 cancels here; every Float in [1 − 2⁻⁸, 1 + 2⁻⁷].
        let s = sweep(bits(1 - 0x1p-8), through: bits(1 + 0x1p-7), stride: 1,
                      TinyMath.log, Foundation.log)
        #expect(s.maxError <= Self.bound, "log max error \(s.maxError) ulp at \(s.worstInput)")
    }

    @Test func subnormals() {
        let s = sweep(1, through: 0x007f_ffff, stride: 97, TinyMath.log, Foundation.log)
        #expect(s.maxError <= Self.bound, "log max error \(s.maxError) ulp at \(s.worstInput)")
        // ln 2⁻¹⁴⁹ = −103.27893…, correctly rounded.
        #expect(TinyMath.log(.leastNonzeroMagnitude) == -0x1.9d1da0p6)
    }

    @Test func specialValues() {
        #expect(TinyMath.log(.nan).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.log(.signalingNaN).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.log(-1).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.log(-.leastNonzeroMagnitude).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.log(-.infinity).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.log(0) == -.infinity)
        #expect(TinyMath.log(-0.0) == -.infinity)
        #expect(TinyMath.log(.infinity) == .infinity)
        #expect(TinyMath.log(1).bitPattern == Float(0).bitPattern)  // +0, not −0
        #expect(TinyMath.log(2) == 0x1.62e430p-1)  // ln 2, correctly rounded
        #expect(TinyMath.log(.greatestFiniteMagnitude) == 0x1.62e430p6)
    }
}

// MARK: - tanh

@Suite struct TinyMathTanhTests {
    // Measured over every finite Float (exhaustive run): 0.775 ulp.
    static let bound = 0.78

    @Test func accuracyOverWholeRange() {
        // Up to 9.1 (beyond it the result is exactly ±1, checked below).
        let s = sweep(0, through: bits(9.1), stride: 347, TinyMath.tanh, Foundation.tanh)
        #expect(s.maxError <= Self.bound, "tanh max error \(s.maxError) ulp at \(s.worstInput)")
        #expect(s.count > 3_000_000)
    }

    @Test func accuracyNearBranchPoints() {
        // Every Float around the polynomial/exponential switch at 0.55 and
        // the x → x short cut at 2⁻¹².
        for edge: Float in [0.55, 0x1p-12] {
            let s = sweep(bits(edge) - 65_536, through: bits(edge) + 65_536, stride: 1,
                          TinyMath.tanh, Foundation.tanh)
            #expect(s.maxError <= Self.bound, "tanh max error \(s.maxError) ulp at \(s.worstInput)")
        }
    }

    @Test func oddSymmetryIsExact() {
        var bits: UInt32 = 0
        while bits < 0x4200_0000 {  // 0 ..< 32
            let x = Float(bitPattern: bits)
            #expect(TinyMath.tanh(-x).bitPattern == (-TinyMath.tanh(x)).bitPattern)
            bits += 100_003
        }
    }

    @Test func specialValues() {
        #expect(TinyMath.tanh(.nan).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.tanh(.signalingNaN).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.tanh(.infinity) == 1)
        #expect(TinyMath.tanh(-.infinity) == -1)
        #expect(TinyMath.tanh(0).bitPattern == Float(0).bitPattern)
        #expect(TinyMath.tanh(-0.0).bitPattern == Float(-0.0).bitPattern)
        for tiny: Float in [.leastNonzeroMagnitude, 0x1p-126, 1e-6, 0x1.fffffep-13] {
            #expect(TinyMath.tanh(tiny) == tiny)
            #expect(TinyMath.tanh(-tiny) == -tiny)
        }
        // 1 − tanh x < 2⁻²⁵ (half an ulp below 1) from x = 0x1.205968p3 on.
        #expect(TinyMath.tanh(0x1.205968p3) == 1)
        #expect(TinyMath.tanh(0x1.205966p3) == 0x1.fffffep-1)
        #expect(TinyMath.tanh(-9.1) == -1)
        #expect(TinyMath.tanh(.greatestFiniteMagnitude) == 1)
    }
}

// MARK: - sigmoid

@Suite struct TinyMathSigmoidTests {
    // Measured over every finite Float (exhaustive run): 2.481 ulp, at
    // x = −16.635704 (e⁻ˣ's error of about an ulp, then the roundings of
    // 1 + e⁻ˣ and of the division).
    static let bound = 2.49

    @Test func accuracyOverWholeRange() {
        for (first, last) in [(bits(0), bits(18)), (bits(-0.0), bits(-104))] {
            let s = sweep(first, through: last, stride: 691, TinyMath.sigmoid, sigmoidReference)
            #expect(s.maxError <= Self.bound, "sigmoid max error \(s.maxError) ulp at \(s.worstInput)")
            #expect(s.count > 1_500_000)
        }
    }

    @Test func specialValues() {
        #expect(TinyMath.sigmoid(.nan).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.sigmoid(.signalingNaN).bitPattern == Float.nan.bitPattern)
        #expect(TinyMath.sigmoid(.infinity) == 1)
        #expect(TinyMath.sigmoid(-.infinity).bitPattern == 0)
        #expect(TinyMath.sigmoid(0) == 0.5)
        #expect(TinyMath.sigmoid(-0.0) == 0.5)
        // σ(x) is 1 once 1 + e⁻ˣ rounds to 1 (e⁻ˣ ≤ 2⁻²⁴, x ≥ 24·ln2), from
        // x = 0x1.0a2b24p4; just below, 1 + e⁻ˣ rounds to 1 + 2⁻²³.
        #expect(TinyMath.sigmoid(0x1.0a2b24p4) == 1)
        #expect(TinyMath.sigmoid(0x1.0a2b22p4) == 0x1.fffffcp-1)
        // σ(x) ≈ eˣ far left: subnormal below x ≈ −87.34, +0 at the same
        // cut-off as exp.
        #expect(TinyMath.sigmoid(-90) == TinyMath.exp(-90))
        #expect(TinyMath.sigmoid(-90) > 0 && TinyMath.sigmoid(-90) < 0x1p-126)
        #expect(TinyMath.sigmoid(-0x1.9fe368p6) == .leastNonzeroMagnitude)
        #expect(TinyMath.sigmoid(-0x1.9fe36ap6).bitPattern == 0)
    }

    @Test func monotoneAndInsideUnitInterval() {
        // Nondecreasing over every 3001st Float from −110 to 110; inside
        // [0, 0.5] left of 0 and [0.5, 1] right of it, and strictly inside
        // (0, 1) from the last input that gives +0 (x > −103.97) to the first
        // whose 1 + e⁻ˣ rounds to 1 (x < 16.64).
        var xs: [Float] = []
        var bits = (-110 as Float).bitPattern
        while bits > 0x8000_0000 {  // −110 up to −0
            xs.append(Float(bitPattern: bits))
            bits -= 3001
        }
        bits = 0
        while bits <= (110 as Float).bitPattern {
            xs.append(Float(bitPattern: bits))
            bits += 3001
        }
        var previous: Float = 0
        var decreases: [Float] = []
        var outside: [Float] = []
        for x in xs {
            let y = TinyMath.sigmoid(x)
            if y < previous { decreases.append(x) }
            let inHalf = x < 0 ? (y >= 0 && y <= 0.5) : (y >= 0.5 && y <= 1)
            let strictlyInside = y > 0 && y < 1
            if !inHalf || (x > -103 && x < 16.6 && !strictlyInside) { outside.append(x) }
            previous = y
        }
        #expect(xs.count > 700_000)
        #expect(decreases.isEmpty, "sigmoid decreases at \(decreases.prefix(5))")
        #expect(outside.isEmpty, "sigmoid out of range at \(outside.prefix(5))")
    }

    @Test func symmetry() {
        // σ(−x) = 1 − σ(x); both sides rounded, so within an ulp of 0.5–1.
        var bits: UInt32 = 0
        while bits < (17 as Float).bitPattern {
            let x = Float(bitPattern: bits)
            let sum = Double(TinyMath.sigmoid(x)) + Double(TinyMath.sigmoid(-x))
            #expect(abs(sum - 1) <= 0x1p-23, "σ(\(x)) + σ(−\(x)) = \(sum)")
            bits += 10_007
        }
    }
}

// MARK: - Determinism

@Suite struct TinyMathDeterminismTests {
    /// 4096 inputs spread over each function's useful range by a fixed LCG.
    static let inputs: [Float] = {
        var state: UInt32 = 0x1234_5678
        return (0..<4096).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            // Uniform in [−120, 120), then every binade via a random shift.
            let u = Float(state >> 8) * 0x1p-24
            return (u - 0.5) * 240 / Float(1 << (state & 15))
        }
    }()

    /// The output bits of every function on `inputs`, hashed. These pin the
    /// exact results: host and firmware builds must print the same numbers.
    /// A deliberate change to an algorithm changes them; update them (and the
    /// firmware's expected values) in the same commit.
    @Test func outputBitsArePinned() {
        let exp = fnv1a(Self.inputs.map { TinyMath.exp($0).bitPattern })
        let log = fnv1a(Self.inputs.map { TinyMath.log($0.magnitude).bitPattern })
        let tanh = fnv1a(Self.inputs.map { TinyMath.tanh($0).bitPattern })
        let sigmoid = fnv1a(Self.inputs.map { TinyMath.sigmoid($0).bitPattern })
        #expect(exp == 0x8460_f7fa_2fd5_da88, "exp hash \(String(exp, radix: 16))")
        #expect(log == 0x5d7f_001a_4074_5ad4, "log hash \(String(log, radix: 16))")
        #expect(tanh == 0xdb26_2fac_744b_0828, "tanh hash \(String(tanh, radix: 16))")
        #expect(sigmoid == 0x0f34_82af_fc09_763d, "sigmoid hash \(String(sigmoid, radix: 16))")
    }
}

// MARK: - Exhaustive (opt-in)

/// Every Float input against the same references: the measurement behind the
/// maximum error in each doc comment. A few minutes in a release build:
/// `TINYNN_EXHAUSTIVE=1 swift test -c release --filter TinyMathExhaustiveTests`
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TINYNN_EXHAUSTIVE"] != nil))
struct TinyMathExhaustiveTests {
    private static let positive: (UInt32, UInt32) = (0, 0x7f80_0000)  // +0 … +∞
    private static let negative: (UInt32, UInt32) = (0x8000_0000, 0xff80_0000)  // −0 … −∞

    private func check(
        _ name: String, _ ranges: [(UInt32, UInt32)], bound: Double,
        _ f: (Float) -> Float, _ reference: (Double) -> Double
    ) {
        for (first, last) in ranges {
            let s = sweep(first, through: last, stride: 1, f, reference)
            #expect(s.maxError <= bound, "\(name) max error \(s.maxError) ulp at \(s.worstInput)")
        }
    }

    @Test func exp() { check("exp", [Self.positive, Self.negative], bound: TinyMathExpTests.bound, TinyMath.exp, Foundation.exp) }
    @Test func log() { check("log", [Self.positive], bound: TinyMathLogTests.bound, TinyMath.log, Foundation.log) }
    @Test func tanh() { check("tanh", [Self.positive, Self.negative], bound: TinyMathTanhTests.bound, TinyMath.tanh, Foundation.tanh) }
    @Test func sigmoid() {
        check("sigmoid", [Self.positive, Self.negative], bound: TinyMathSigmoidTests.bound, TinyMath.sigmoid, sigmoidReference)
    }
}
