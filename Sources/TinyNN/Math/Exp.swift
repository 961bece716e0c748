extension TinyMath {
    /// The exponential function eˣ.
    ///
    /// Method: Cody–Waite reduction x = k·ln2 + r with |r| ≤ ln2/2, then
    /// eʳ = 1 + r + r²·P(r) with P a degree-4 minimax polynomial (`expParts`),
    /// then 2ᵏ applied by adding k to the exponent field when the result is
    /// normal (|x| < 86.5, the path activations take), or as two power-of-two
    /// factors otherwise (`scaled`, which rounds once into the subnormals).
    /// Cortex-M4F: 17 instructions on the normal path.
    ///
    /// Measured max error: 1.093 ulp against `Foundation.exp` in `Double` over
    /// every finite `Float`. Results are the same bits on every target
    /// because it uses only IEEE basic ops.
    ///
    /// - Parameter x: Any `Float`. x ≥ 0x1.62e430p6 (≈ 88.72) gives +∞;
    ///   x ≤ −0x1.9fe36ap6 (≈ −103.97) gives +0; NaN gives NaN.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        if _fastPath(x.magnitude < 86.5) { return expNormal(x) }
        return expOutsideNormal(x)
    }

    /// eˣ for |x| < 86.5, where 2ᵏ·m is normal: k is added to m's exponent.
    @inlinable @inline(__always)
    static func expNormal(_ x: Float) -> Float {
        let e = expParts(x)
        return Float(bitPattern: e.m.bitPattern &+ e.kShifted)
    }

    /// eˣ for |x| ≥ 86.5 and NaN: +∞, +0, NaN, or 2ᵏ·m applied as two
    /// factors (the result may be subnormal or near the largest `Float`).
    @usableFromInline @inline(never)
    static func expOutsideNormal(_ x: Float) -> Float {
        // `!(x < limit)` is also true for NaN, so one compare guards both.
        if !(x < 0x1.62e430p6) { return x.isNaN ? .nan : .infinity }
        if x <= -0x1.9fe36ap6 { return 0 }
        let e = expParts(x)
        return scaled(e.m, byPowerOfTwo: Int32(bitPattern: e.kShifted) >> 23)
    }

    /// eˣ = 2ᵏ·m for x in [−104, 89]: m in [0.70, 1.42] within about an ulp,
    /// and k·2²³ (k in the exponent field's position, two's complement).
    @inlinable @inline(__always)
    static func expParts(_ x: Float) -> (m: Float, kShifted: UInt32) {
        // k = round(x/ln2): adding 1.5·2²³ leaves k in the low mantissa bits
        // of t, whose other low bits are 0, so t's bits shifted by 23 are k·2²³.
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
        return (1 + r.addingProduct(r2, p), t.bitPattern &<< 23)
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
