extension TinyMath {
    /// The logistic function σ(x) = 1/(1 + e⁻ˣ).
    @inlinable
    public static func sigmoid(_ x: Float) -> Float {
        let a = x.magnitude
        if !(a < 104) {
            if x.isNaN { return .nan }
            return x < 0 ? 0 : 1
        }
        // E = e⁻ᵃ ≤ 1, so 1 + E never overflows: σ(a) = 1/(1 + E) and
        // σ(−a) = E/(1 + E).
        let e = expSplit(-a)
        let q = reciprocalOfOnePlus(e.head, e.tail, e.exponent)
        if x >= 0 { return q.y + q.c }
        // (head + tail)·(y + c) with the product's rounding error recovered
        // by a fused multiply-add; scaled by 2ᵏ last, so subnormals round once.
        let t = e.head * q.y
        let tError = e.head.addingProduct(q.y, -t)
        let m = t + (tError + e.head.addingProduct(q.c, e.tail * q.y))
        return scaled(m, byPowerOfTwo: e.exponent)
    }
}
