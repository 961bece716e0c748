/// BP2's product over a mini-batch (see `ForwardBatch.swift` for the batched
/// kernels' shapes and contract).
extension Kernels {
    /// BP2's product over a mini-batch: `e[s] = Wᵀδ[s]` for `s = 0..<B`.
    /// w: `[Out][In]`, delta: `[B][Out]` → e: `[B][In]`.
    ///
    /// `e[s][i]` is bit for bit ``transposedProduct`` of sample `s`:
    /// `Σⱼ w[j][i]·δ[s][j]` summed from `0` in increasing `j`, fused. The
    /// register tile is 16 columns × 5 samples (10 independent sums, each
    /// pair of weight slices serving five samples); then an 8-column tile,
    /// and the last (at most 7) columns as the low lanes of one vector. A
    /// tile that overhangs the last sample repeats it and stores the real
    /// sample's value last.
    /// - Parameter e: overwritten; must not alias `w` or `delta`.
    @inlinable
    public static func transposedProductBatch(
        w: UnsafePointer<Float>, delta: UnsafePointer<Float>,
        e: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int, batchCount: Int
    ) {
        let pairEnd = inCount & ~15, blockEnd = inCount & ~7, tail = inCount &- blockEnd
        let last = batchCount &- 1
        var s = 0
        while s < batchCount {
            let s1 = min(s &+ 1, last), s2 = min(s &+ 2, last), s3 = min(s &+ 3, last), s4 = min(s &+ 4, last)
            let d0 = delta + s &* outCount, d1 = delta + s1 &* outCount, d2 = delta + s2 &* outCount
            let d3 = delta + s3 &* outCount, d4 = delta + s4 &* outCount
            let e0 = e + s &* inCount, e1 = e + s1 &* inCount, e2 = e + s2 &* inCount
            let e3 = e + s3 &* inCount, e4 = e + s4 &* inCount
            @inline(__always) func store(_ c0: SIMD8<Float>, _ c1: SIMD8<Float>, _ c2: SIMD8<Float>,
                                         _ c3: SIMD8<Float>, _ c4: SIMD8<Float>, at i: Int) {
                store8(c4, e4 + i); store8(c3, e3 + i); store8(c2, e2 + i); store8(c1, e1 + i); store8(c0, e0 + i)
            }
            var i = 0
            while i < pairEnd {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var f0 = SIMD8<Float>(), f1 = SIMD8<Float>(), f2 = SIMD8<Float>(), f3 = SIMD8<Float>(), f4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    let v = load8(row), u = load8(row + 8)
                    let b0 = SIMD8<Float>(repeating: d0[j])
                    c0.addProduct(v, b0); f0.addProduct(u, b0)
                    let b1 = SIMD8<Float>(repeating: d1[j])
                    c1.addProduct(v, b1); f1.addProduct(u, b1)
                    let b2 = SIMD8<Float>(repeating: d2[j])
                    c2.addProduct(v, b2); f2.addProduct(u, b2)
                    let b3 = SIMD8<Float>(repeating: d3[j])
                    c3.addProduct(v, b3); f3.addProduct(u, b3)
                    let b4 = SIMD8<Float>(repeating: d4[j])
                    c4.addProduct(v, b4); f4.addProduct(u, b4)
                    row += inCount
                }
                store(c0, c1, c2, c3, c4, at: i)
                store(f0, f1, f2, f3, f4, at: i &+ 8)
                i &+= 16
            }
            if i < blockEnd {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    let v = load8(row)
                    c0.addProduct(v, SIMD8(repeating: d0[j])); c1.addProduct(v, SIMD8(repeating: d1[j]))
                    c2.addProduct(v, SIMD8(repeating: d2[j])); c3.addProduct(v, SIMD8(repeating: d3[j]))
                    c4.addProduct(v, SIMD8(repeating: d4[j]))
                    row += inCount
                }
                store(c0, c1, c2, c3, c4, at: i)
                i &+= 8
            }
            if tail > 0 {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    var v = SIMD8<Float>()
                    for l in 0..<tail { v[l] = row[l] }
                    c0.addProduct(v, SIMD8(repeating: d0[j])); c1.addProduct(v, SIMD8(repeating: d1[j]))
                    c2.addProduct(v, SIMD8(repeating: d2[j])); c3.addProduct(v, SIMD8(repeating: d3[j]))
                    c4.addProduct(v, SIMD8(repeating: d4[j]))
                    row += inCount
                }
                for l in 0..<tail {
                    e4[i &+ l] = c4[l]; e3[i &+ l] = c3[l]; e2[i &+ l] = c2[l]; e1[i &+ l] = c1[l]; e0[i &+ l] = c0[l]
                }
            }
            s &+= 5
        }
    }
}
