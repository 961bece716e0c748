extension TinyMath {
    /// The exponential function eˣ.
    ///
    /// Method: Cody–Waite reduction x = k·ln2 + r with |r| ≤ ln2/2, then
    /// eʳ = 1 + q, q = r + r²·P(r) with P a degree-4 minimax polynomial
    /// (`expParts`), then 2ᵏ applied as one fused 2ᵏ + 2ᵏ·q when the result
    /// is normal (|k| ≤ 124, the path activations take), or as two
    /// power-of-two factors otherwise (`scaled`, which rounds once into the
    /// subnormals). Both give 2ᵏ·(1 + q rounded), so the path taken never
    /// changes a result. Cortex-M4F: 20 instructions on the normal path.
    ///
    /// Measured max error: 1.093 ulp against `Foundation.exp` in `Double` over
    /// every finite `Float`. Results are the same bits on every target
    /// because it uses only IEEE basic ops.
    ///
    /// - Parameter x: Any `Float`. x ≥ 0x1.62e430p6 (≈ 88.72) gives +∞;
    ///   x ≤ −0x1.9fe36ap6 (≈ −103.97) gives +0; NaN gives NaN.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        let e = expParts(x)
        if _fastPath(resultIsNormal(e)) { return normal(e) }
        return expOutsideNormal(x)
    }

    /// Whether 2ᵏ·(1 + q) is normal because |k| ≤ 124 (|x| ≲ 86.3): k's
    /// window read off t's bits, so one integer compare; false for ±∞, NaN
    /// and |x| ≥ 2²², whose t is not 1.5·2²³ + k.
    @inlinable @inline(__always)
    static func resultIsNormal(_ e: (q: Float, t: UInt32)) -> Bool {
        e.t &- (0x4b40_0000 - 124) <= 248
    }

    /// 2ᵏ·(1 + q) for |k| ≤ 124 as fma(2ᵏ, q, 2ᵏ): exact scaling of
    /// 1 + q rounded, as 2ᵏ·(1 + q) is normal.
    @inlinable @inline(__always)
    static func normal(_ e: (q: Float, t: UInt32)) -> Float {
        // t's bits shifted by 23 are k·2²³ (1.5·2²³'s own bits shift out).
        let powerOfTwo = Float(bitPattern: 0x3f80_0000 &+ (e.t &<< 23))
        return powerOfTwo.addingProduct(powerOfTwo, e.q)
    }

    /// eˣ where `resultIsNormal` is false: +∞, +0, NaN, or 2ᵏ·(1 + q) applied as
    /// two factors (the result may be subnormal or near the largest `Float`).
    @usableFromInline @inline(never)
    static func expOutsideNormal(_ x: Float) -> Float {
        // `!(x < limit)` is also true for NaN, so one compare guards both.
        if !(x < 0x1.62e430p6) { return x.isNaN ? .nan : .infinity }
        if x <= -0x1.9fe36ap6 { return 0 }
        let e = expParts(x)
        return scaled(1 + e.q, byPowerOfTwo: Int32(bitPattern: e.t &<< 23) >> 23)
    }

    /// eˣ = 2ᵏ·(1 + q) for x in [−104, 89]: q = eʳ − 1 in [−0.3, 0.42] within
    /// about an ulp of 1 + q, and t, whose bits are 1.5·2²³'s plus k.
    @inlinable @inline(__always)
    static func expParts(_ x: Float) -> (q: Float, t: UInt32) {
        // k = round(x/ln2): adding 1.5·2²³ leaves k in the low mantissa bits
        // of t (for |x/ln2| < 2²²).
        let shifter: Float = 0x1.8p23
        let t = x * 0x1.715476p0 + shifter
        let kf = t - shifter
        // r = x − k·ln2 with ln2 = ln2hi + ln2lo; the first step is exact.
        let r0 = x.addingProduct(-kf, 0x1.62e430p-1)
        let r = r0.addingProduct(-kf, -0x1.05c610p-29)
        // P minimax for (eʳ − 1 − r)/r² on [−ln2/2, ln2/2], evaluated as
        // (c₀ + c₁r) + r²·((c₂ + c₃r) + c₄r²): fewer register copies than
        // Horner on a two-operand FMA (Cortex-M4F's vfma).
        let r2 = r * r
        let low = Float(0x1p-1).addingProduct(0x1.5554dep-3, r)
        let high = Float(0x1.5555bap-5).addingProduct(0x1.120b28p-7, r).addingProduct(0x1.6c69f6p-10, r2)
        let p = low.addingProduct(high, r2)
        return (r.addingProduct(r2, p), t.bitPattern)
    }

    /// eˣ = 2ᵉˣᵖᵒⁿᵉⁿᵗ·(head + tail) for x in [−104, 89], with head in
    /// [0.7, 1.42] and |tail| ≤ ulp(head)/2: about 26 correct bits, for
    /// `tanh`, which rounds once more.
    ///
    /// Method as `exp`, with the polynomial P of degree 4 evaluated by Horner
    /// and 1 + r + r²·P(r) carried as an unevaluated sum so that only the last
    /// addition rounds at full size.
    @inlinable
    static func expSplit(_ x: Float) -> (head: Float, tail: Float, exponent: Int32) {
        let shifter: Float = 0x1.8p23
        let t = x * 0x1.715476p0 + shifter
        let kf = t - shifter
        let k = Int32(bitPattern: t.bitPattern &- shifter.bitPattern)

        // r = x − k·ln2 with ln2 = ln2hi + ln2lo. The first step is exact
        // (x − k·ln2hi is a multiple of 2⁻²⁵ below 0.5 in magnitude, so it fits
        // in 24 bits); rTail is what rounding the second step lost.
        let r0 = x.addingProduct(-kf, 0x1.62e430p-1)
        let r = r0.addingProduct(-kf, -0x1.05c610p-29)
        let rTail = (r0 - r).addingProduct(-kf, -0x1.05c610p-29)

        // eʳ = 1 + r + r²·P(r), P minimax for (eʳ − 1 − r)/r² on
        // [−ln2/2, ln2/2] (relative error 2⁻²³, which r² scales to 2⁻²⁶·⁵).
        var p: Float = 0x1.6c69f6p-10
        p = Float(0x1.120b28p-7).addingProduct(p, r)
        p = Float(0x1.5555bap-5).addingProduct(p, r)
        p = Float(0x1.5554dep-3).addingProduct(p, r)
        p = Float(0x1p-1).addingProduct(p, r)
        // 1 + r = a + aTail exactly (Fast2Sum, as 1 ≥ |r|).
        let a = 1 + r
        let aTail = r - (a - 1)
        let b = (aTail + rTail).addingProduct(r * r, p)
        // Renormalise (Fast2Sum again, as |a| ≥ |b|): head is eʳ rounded once.
        let head = a + b
        return (head, b - (head - a), k)
    }

    /// m·2ᵏ for m in [0.25, 2) and k in [−151, 129], rounded once.
    ///
    /// 2ᵏ itself may not be a normal `Float`, so it is applied as 2ᵏ¹·2ᵏ²
    /// with k₁ = ⌊k/2⌋: the first product stays normal and is exact, so only
    /// the second rounds, even when the result is subnormal.
    @inlinable
    static func scaled(_ m: Float, byPowerOfTwo k: Int32) -> Float {
        let k1 = k >> 1
        let k2 = k &- k1
        let s1 = Float(bitPattern: UInt32(bitPattern: (k1 &+ 127) << 23))
        let s2 = Float(bitPattern: UInt32(bitPattern: (k2 &+ 127) << 23))
        return m * s1 * s2
    }

    /// 1/(1 + 2ᵏ·(head + tail)) as an unevaluated sum y + c, for k ≤ 0.
    ///
    /// d + dTail = 1 + 2ᵏ·(head + tail) to about 2⁻⁴⁸ (Fast2Sum, as 1 ≥
    /// 2ᵏ·head); y = 1/d is correctly rounded, and one Newton step with the
    /// exact fused residual 1 − y·d gives the correction c.
    @inlinable
    static func reciprocalOfOnePlus(
        _ head: Float, _ tail: Float, _ k: Int32
    ) -> (y: Float, c: Float) {
        let e = scaled(head, byPowerOfTwo: k)
        let d = 1 + e
        let dTail = ((1 - d) + e) + scaled(tail, byPowerOfTwo: k)
        let y = 1 / d
        let residual = Float(1).addingProduct(-y, d).addingProduct(-y, dTail)
        return (y, y * residual)
    }
}
