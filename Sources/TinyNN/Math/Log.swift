extension TinyMath {
    /// The natural logarithm ln x.
    ///
    /// Method: x = 2ᵏ·m with m in [√½, √2) (subnormals are first scaled by
    /// 2²³), f = m − 1 (exact), s = f/(2 + f), and
    /// ln(1 + f) = f − (f²/2 − s·(f²/2 + R(s²))), where R is a degree-3
    /// minimax polynomial for 2·atanh(s)/s − 2. Writing the result as f minus a
    /// small correction keeps it accurate near x = 1; k·ln2 is added with a
    /// two-constant split of ln2 whose high part makes k·ln2hi exact.
    ///
    /// Measured max error: 0.840 ulp against `Foundation.log` in `Double` over
    /// every positive finite `Float`, subnormals included. Results are the
    /// same bits on every target because it uses only IEEE basic ops.
    ///
    /// - Parameter x: Any `Float`. ln(±0) = −∞, ln(+∞) = +∞, and x < 0 or NaN
    ///   gives NaN.
    @inlinable
    public static func log(_ x: Float) -> Float {
        var bits = x.bitPattern
        var k: Int32 = 0
        // Bit patterns below the smallest normal are +0 and subnormals; at or
        // above +∞'s are +∞, NaNs and every negative number.
        if bits < 0x0080_0000 || bits >= 0x7f80_0000 {
            if x.isNaN || x < 0 { return .nan }
            if x == 0 { return -.infinity }
            if x == .infinity { return x }
            bits = (x * 0x1p23).bitPattern
            k = -23
        }

        // Shift the binade boundary from 1 to √½ (bit pattern 0x3f3504f3) so
        // that m lands in [√½, √2).
        let shifted = bits &+ (0x3f80_0000 &- 0x3f35_04f3)
        k &+= Int32(bitPattern: shifted >> 23) &- 127
        let m = Float(bitPattern: (shifted & 0x007f_ffff) &+ 0x3f35_04f3)

        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        var r: Float = 0x1.31e678p-2
        r = Float(0x1.995e9cp-2).addingProduct(r, z)
        r = Float(0x1.55557ap-1).addingProduct(r, z)
        r *= z
        let halfSquare = 0.5 * f * f
        // k as a Float, exactly, by the same 1.5·2²³ trick as in `exp` (the
        // generic `Float(_: Int32)` is rejected by Embedded `-no-allocations`).
        let kf = Float(bitPattern: UInt32(bitPattern: k &+ 0x4b40_0000)) - 0x1.8p23
        // ln2hi has 15 significant bits, so kf·ln2hi is exact for |k| < 2⁹.
        // small = s·(f²/2 + R) + k·ln2lo, one rounding.
        let small = (kf * 0x1.7f7d1cp-20).addingProduct(s, halfSquare + r)
        return kf * 0x1.62e4p-1 - ((halfSquare - small) - f)
    }
}
