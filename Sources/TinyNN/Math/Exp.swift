extension TinyMath {
    /// The exponential function eˣ.
    ///
    /// Method: Cody–Waite reduction x = k·ln2 + r with |r| ≤ ln2/2, then
    /// eʳ = 1 + r + r²·P(r) with P a degree-4 minimax polynomial, carried as an
    /// unevaluated sum so that only the last addition rounds at full size (see
    /// `expSplit`), then 2ᵏ applied as two power-of-two factors (2ᵏ itself
    /// need not be a `Float`).
    ///
    /// Measured max error: 0.798 ulp against `Foundation.exp` in `Double` over
    /// every finite `Float` (0.760 where the result is normal; subnormal
    /// results round twice). Results are the same bits on every target
    /// because it uses only IEEE basic ops.
    ///
    /// - Parameter x: Any `Float`. x ≥ 0x1.62e430p6 (≈ 88.72) gives +∞;
    ///   x ≤ −0x1.9fe36ap6 (≈ −103.97) gives +0; NaN gives NaN.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        // `!(x < limit)` is also true for NaN, so one compare guards both.
        if !(x < 0x1.62e430p6) {
            return x.isNaN ? .nan : .infinity
        }
        if x <= -0x1.9fe36ap6 { return 0 }
        let e = expSplit(x)
        return scaled(e.head, byPowerOfTwo: e.exponent)
    }

    /// eˣ = 2ᵉˣᵖᵒⁿᵉⁿᵗ·(head + tail) for x in [−104, 89], with head in
    /// [0.7, 1.42] and |tail| ≤ ulp(head)/2: about 26 correct bits, for
    /// callers that round once more (tanh, sigmoid).
    @inlinable
    static func expSplit(_ x: Float) -> (head: Float, tail: Float, exponent: Int32) {
        // k = round(x / ln2): adding 1.5·2²³ leaves k in the low mantissa bits.
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
