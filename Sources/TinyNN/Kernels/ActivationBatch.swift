/// The activation and its derivative over a mini-batch (the elementwise
/// steps between the batched products): `a[s] = σ(z[s])` forward, and BP2's
/// Hadamard factor `⊙ σ′(z[s])` backward. z, a, g: `[B][width]`.
extension Kernels {
    /// `count < 8` floats as the low lanes of a vector (the others zero).
    @inlinable @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int) -> SIMD8<Float> {
        var v = SIMD8<Float>()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    /// Stores the low `count < 8` lanes of `v`.
    @inlinable @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        for l in 0..<count { p[l] = v[l] }
    }

    /// The activation over a mini-batch: `a[s] = σ(z[s])` for `s = 0..<B`.
    /// z, a: `[B][width]` (may alias).
    ///
    /// Bit for bit ``Activation/apply(z:a:count:leakySlope:)`` on each sample. An
    /// elementwise σ treats the batch as one vector of `B·width` values;
    /// sigmoid and tanh take eight at a time through the lane-by-lane forms
    /// in ``TinyMath`` where those exist; softmax goes sample by sample.
    @inlinable
    public static func activateBatch(
        _ activation: Activation, z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, width: Int, batchCount: Int,
        leakySlope: Float
    ) {
        let count = width &* batchCount
        var k = 0
        #if TINYNN_SIMD8
        // Eight at a time, then the last (at most 7) as the low lanes of one vector.
        let blockEnd = count & ~7
        switch activation {
        case .sigmoid:
            while k < blockEnd { store8(TinyMath.sigmoid(load8(z + k)), a + k); k &+= 8 }
            if k < count {
                store(TinyMath.sigmoid(loadPartial(z + k, count &- k)), a + k, count &- k)
                k = count
            }
        case .tanh:
            while k < blockEnd { store8(TinyMath.tanh(load8(z + k)), a + k); k &+= 8 }
            if k < count {
                store(TinyMath.tanh(loadPartial(z + k, count &- k)), a + k, count &- k)
                k = count
            }
        default:
            break
        }
        #endif
        if activation == .softmax {
            for s in 0..<batchCount { activation.apply(z: z + s &* width, a: a + s &* width, count: width, leakySlope: leakySlope) }
        } else {
            activation.apply(z: z + k, a: a + k, count: count &- k, leakySlope: leakySlope)
        }
    }

    /// The Hadamard step of BP2 over a mini-batch, in place: `g[s] = ∂C/∂a[s]`
    /// becomes `δ[s] = ∂C/∂z[s]`. g, z, a: `[B][width]`.
    ///
    /// Bit for bit ``Activation/backpropagate(_:z:a:count:leakySlope:)`` on each sample;
    /// an elementwise σ treats the batch as one vector.
    @inlinable
    public static func backpropagateBatch(
        _ activation: Activation, _ g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        width: Int, batchCount: Int, leakySlope: Float
    ) {
        if activation == .softmax {
            for s in 0..<batchCount {
                let o = s &* width
                activation.backpropagate(g + o, z: z + o, a: a + o, count: width, leakySlope: leakySlope)
            }
        } else {
            activation.backpropagate(g, z: z, a: a, count: width &* batchCount, leakySlope: leakySlope)
        }
    }
}
