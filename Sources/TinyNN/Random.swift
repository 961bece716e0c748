/// A seeded pseudo-random generator that gives the same numbers on every
/// target: xoshiro128** (32-bit state words, cheap on Cortex-M0), its state
/// filled from the seed by SplitMix64.
public struct Random: Sendable {
    @usableFromInline var s: (UInt32, UInt32, UInt32, UInt32)

    /// - Parameter seed: any value; equal seeds give equal sequences.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z &>> 31)
        }
        let u = splitMix(), v = splitMix()
        s = (UInt32(truncatingIfNeeded: u), UInt32(truncatingIfNeeded: u &>> 32),
             UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v &>> 32))
        if s == (0, 0, 0, 0) { s.0 = 1 }
    }

    /// The next 32 random bits.
    @inlinable
    public mutating func next() -> UInt32 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 &<< 9
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 11)
        return result
    }

    @inlinable
    func rotl(_ x: UInt32, _ k: UInt32) -> UInt32 { (x &<< k) | (x &>> (32 - k)) }

    /// Uniform in `[0, 1)`, a multiple of 2⁻²⁴ (exact in `Float`).
    @inlinable
    public mutating func uniform() -> Float {
        Float(Int(next() &>> 8)) * 0x1p-24  // Float(UInt32) allocates in Embedded mode; Float(Int) does not
    }

    /// Uniform integer in `0..<bound` (Lemire's multiply-shift, rejecting the
    /// biased remainder).  bound: `1...UInt32.max`.
    @inlinable
    public mutating func below(_ bound: UInt32) -> UInt32 {
        precondition(bound > 0, "Random.below: bound must be positive")
        let threshold = (0 &- bound) % bound
        while true {
            // Widening UInt32 to UInt64 allocates in Embedded mode on 32-bit targets.
            let m = next().multipliedFullWidth(by: bound)
            if m.low >= threshold { return m.high }
        }
    }

    /// Standard normal N(0, 1) by Marsaglia's polar method (needs only `ln`
    /// and `√`, both exact-to-bits on every target).
    @inlinable
    public mutating func gaussian() -> Float {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * TinyMath.log(s) / s).squareRoot()
            }
        }
    }

    /// Shuffles `count` indices in place (Fisher–Yates, from the last).
    @inlinable
    public mutating func shuffle(_ x: UnsafeMutablePointer<Int32>, count: Int) {
        var i = count - 1
        while i > 0 {
            let k = Int(truncatingIfNeeded: below(UInt32(truncatingIfNeeded: i + 1)))
            let t = x[i]; x[i] = x[k]; x[k] = t
            i -= 1
        }
    }
}
