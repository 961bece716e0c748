extension TinyMath {
    /// The hyperbolic tangent tanh x.
    @inlinable
    public static func tanh(_ x: Float) -> Float {
        let a = x.magnitude
        if !(a < 9.1) {
            return x.isNaN ? .nan : Float(signOf: x, magnitudeOf: 1)
        }
        if a < 0.55 {
            if a < 0x1p-12 { return x }
            let z = x * x
            var q: Float = -0x1.b134a2p-8
            q = Float(0x1.5d2206p-6).addingProduct(q, z)
            q = Float(-0x1.b9a044p-5).addingProduct(q, z)
            q = Float(0x1.110feap-3).addingProduct(q, z)
            q = Float(-0x1.555554p-2).addingProduct(q, z)
            return x.addingProduct(x * z, q)
        }
        let e = exp(2 * a)
        return Float(signOf: x, magnitudeOf: 1 - 2 / (e + 1))
    }
}
