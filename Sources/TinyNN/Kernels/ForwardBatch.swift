/// The kernels of a fully connected layer over a whole mini-batch, in three
/// files by step: the forward product (here), BP2's product
/// (`TransposedProductBatch.swift`), and BP3/BP4 summed over the batch
/// (`GradientSumsBatch.swift`). `B` is the number of samples; batched
/// activations are sample-major, `a: [B][In]`, `z, delta: [B][Out]`.
///
/// Each output value is computed by exactly the operations, in exactly the
/// order, of the single-sample kernel it batches (``denseForward``,
/// ``transposedProduct``, ``accumulateGradients`` applied to the samples in
/// order); only the schedule differs: a register tile covers several rows
/// *and* several samples, so each weight loaded serves more than one sample.
extension Kernels {
    /// Forward over a mini-batch: `z[s] = W·a[s] + b` for `s = 0..<B`.
    /// w: `[Out][In]`, b: `[Out]`, a: `[B][In]` → z: `[B][Out]`.
    ///
    /// `z[s][j]` is bit for bit ``denseForward`` of sample `s`: ``dot`` in
    /// the canonical order, then `+ b[j]`. The register tile is 2 rows × 5
    /// samples: 10 independent accumulators, 7 loads per 10 fused
    /// multiply-adds, and each weight is fetched once per 5 samples. A tile
    /// that overhangs the last row or sample repeats the last one (the same
    /// operations on the same data) and does not store the repeat. While a
    /// tile computes, the next tile's inputs are prefetched.
    ///
    /// With `copy`, the first row pair of each tile also stores the tile's
    /// inputs there, and the other row pairs read that copy: for inputs that
    /// are not 32-byte aligned, an aligned `copy` saves the split-line loads
    /// at the price of stores that overlap the first pass's arithmetic.
    /// - Parameters:
    ///   - inCount: `In ≥ 1`
    ///   - outCount: `Out ≥ 1`
    ///   - batchCount: `B ≥ 1`
    ///   - z: must not alias `a`
    ///   - copy: nil, or `[B][In]` receiving a copy of `a`; must alias nothing else.
    @inlinable
    public static func denseForwardBatch(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int, batchCount: Int,
        copy: UnsafeMutablePointer<Float>? = nil
    ) {
        let blockEnd = inCount & ~7
        #if !(TINYNN_SIMD8)
        // Microcontrollers: no vector loads to split, and 8 KB less code.
        var a = a
        if let copy {
            copy.update(from: a, count: batchCount &* inCount)
            a = UnsafePointer(copy)
        }
        let copy: UnsafeMutablePointer<Float>? = nil
        #endif
        var s = 0
        while s < batchCount {
            let last = batchCount &- 1
            let s1 = min(s &+ 1, last), s2 = min(s &+ 2, last), s3 = min(s &+ 3, last), s4 = min(s &+ 4, last)
            var x0 = a + s &* inCount, x1 = a + s1 &* inCount, x2 = a + s2 &* inCount
            var x3 = a + s3 &* inCount, x4 = a + s4 &* inCount
            // The next tile's inputs are prefetched a line every few
            // iterations (a burst of prefetches is mostly dropped).
            let next = a + (s &+ 5) &* inCount, nextCount = max(0, min(s &+ 10, batchCount) &- (s &+ 5)) &* inCount
            let nextLines = nextCount < 256 ? 0 : (nextCount &+ 15) >> 4 &+ 1
            var nextLine = 0
            let pairs = (outCount &+ 1) >> 1, perPass = (nextLines &+ pairs &- 1) / pairs
            let chunk = nextLines == 0 ? blockEnd : max(8, (blockEnd / max(perPass, 1)) & ~7)
            var j = 0
            while j < outCount {
                let j1 = min(j &+ 1, outCount &- 1)
                let w0 = w + j &* inCount, w1 = w + j1 &* inCount
                var p0 = SIMD8<Float>(), p1 = SIMD8<Float>(), p2 = SIMD8<Float>(), p3 = SIMD8<Float>(), p4 = SIMD8<Float>()
                var q0 = SIMD8<Float>(), q1 = SIMD8<Float>(), q2 = SIMD8<Float>(), q3 = SIMD8<Float>(), q4 = SIMD8<Float>()
                var i = 0
                if j == 0, let copy {
                    #if TINYNN_SIMD8
                    let c0 = copy + s &* inCount, c1 = copy + s1 &* inCount, c2 = copy + s2 &* inCount
                    let c3 = copy + s3 &* inCount, c4 = copy + s4 &* inCount
                    while i < blockEnd {
                        let v = load8(w0 + i), u = load8(w1 + i)
                        let y0 = load8(x0 + i)
                        p0.addProduct(v, y0); q0.addProduct(u, y0); store8(y0, c0 + i)
                        let y1 = load8(x1 + i)
                        p1.addProduct(v, y1); q1.addProduct(u, y1); store8(y1, c1 + i)
                        let y2 = load8(x2 + i)
                        p2.addProduct(v, y2); q2.addProduct(u, y2); store8(y2, c2 + i)
                        let y3 = load8(x3 + i)
                        p3.addProduct(v, y3); q3.addProduct(u, y3); store8(y3, c3 + i)
                        let y4 = load8(x4 + i)
                        p4.addProduct(v, y4); q4.addProduct(u, y4); store8(y4, c4 + i)
                        i &+= 8
                    }
                    for t in blockEnd..<inCount {
                        c0[t] = x0[t]; c1[t] = x1[t]; c2[t] = x2[t]; c3[t] = x3[t]; c4[t] = x4[t]
                    }
                    x0 = UnsafePointer(c0); x1 = UnsafePointer(c1); x2 = UnsafePointer(c2)
                    x3 = UnsafePointer(c3); x4 = UnsafePointer(c4)
                    #endif
                } else {
                    while i < blockEnd {
                        let chunkEnd = min(i &+ chunk, blockEnd)
                        if nextLine < nextLines {
                            prefetch(next + (nextLine << 4))
                            nextLine &+= 1
                        }
                        while i < chunkEnd {
                        let v = load8(w0 + i), u = load8(w1 + i)
                        let y0 = load8(x0 + i)
                        p0.addProduct(v, y0); q0.addProduct(u, y0)
                        let y1 = load8(x1 + i)
                        p1.addProduct(v, y1); q1.addProduct(u, y1)
                        let y2 = load8(x2 + i)
                        p2.addProduct(v, y2); q2.addProduct(u, y2)
                        let y3 = load8(x3 + i)
                        p3.addProduct(v, y3); q3.addProduct(u, y3)
                        let y4 = load8(x4 + i)
                        p4.addProduct(v, y4); q4.addProduct(u, y4)
                        i &+= 8
                        }
                    }
                }
                var t0 = reduce(p0), t1 = reduce(p1), t2 = reduce(p2), t3 = reduce(p3), t4 = reduce(p4)
                var u0 = reduce(q0), u1 = reduce(q1), u2 = reduce(q2), u3 = reduce(q3), u4 = reduce(q4)
                while i < inCount {
                    let v = w0[i], u = w1[i]
                    t0.addProduct(v, x0[i]); t1.addProduct(v, x1[i]); t2.addProduct(v, x2[i])
                    t3.addProduct(v, x3[i]); t4.addProduct(v, x4[i])
                    u0.addProduct(u, x0[i]); u1.addProduct(u, x1[i]); u2.addProduct(u, x2[i])
                    u3.addProduct(u, x3[i]); u4.addProduct(u, x4[i])
                    i &+= 1
                }
                let b0 = b[j], b1 = b[j1]
                let z0 = z + j
                // Stores from the last (possibly repeated) sample down, so that
                // the real sample's value is the one left.
                z0[s4 &* outCount] = t4 + b0; z0[s3 &* outCount] = t3 + b0; z0[s2 &* outCount] = t2 + b0
                z0[s1 &* outCount] = t1 + b0; z0[s &* outCount] = t0 + b0
                if j1 != j {
                    let z1 = z + j1
                    z1[s4 &* outCount] = u4 + b1; z1[s3 &* outCount] = u3 + b1; z1[s2 &* outCount] = u2 + b1
                    z1[s1 &* outCount] = u1 + b1; z1[s &* outCount] = u0 + b1
                }
                j &+= 2
            }
            s &+= 5
        }
    }
}
