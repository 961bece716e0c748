import TinyNN

/// The previous forward tile (4 rows × 2 samples), kept for comparison.
enum OldKernels {
        static func denseForwardBatch4x2(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int, batchCount: Int
    ) {
        let blockEnd = inCount & ~7
        var j = 0
        while j &+ 4 <= outCount {
            let w0 = w + j &* inCount, w1 = w0 + inCount, w2 = w1 + inCount, w3 = w2 + inCount
            var s = 0
            while s &+ 2 <= batchCount {
                let x = a + s &* inCount, y = x + inCount
                var p0 = SIMD8<Float>(), p1 = SIMD8<Float>(), p2 = SIMD8<Float>(), p3 = SIMD8<Float>()
                var q0 = SIMD8<Float>(), q1 = SIMD8<Float>(), q2 = SIMD8<Float>(), q3 = SIMD8<Float>()
                var i = 0
                while i < blockEnd {
                    let x8 = Kernels.load8(x + i), y8 = Kernels.load8(y + i)
                    let v0 = Kernels.load8(w0 + i), v1 = Kernels.load8(w1 + i), v2 = Kernels.load8(w2 + i), v3 = Kernels.load8(w3 + i)
                    p0.addProduct(v0, x8); q0.addProduct(v0, y8)
                    p1.addProduct(v1, x8); q1.addProduct(v1, y8)
                    p2.addProduct(v2, x8); q2.addProduct(v2, y8)
                    p3.addProduct(v3, x8); q3.addProduct(v3, y8)
                    i &+= 8
                }
                var t0 = Kernels.reduce(p0), t1 = Kernels.reduce(p1), t2 = Kernels.reduce(p2), t3 = Kernels.reduce(p3)
                var u0 = Kernels.reduce(q0), u1 = Kernels.reduce(q1), u2 = Kernels.reduce(q2), u3 = Kernels.reduce(q3)
                while i < inCount {
                    let xi = x[i], yi = y[i]
                    t0.addProduct(w0[i], xi); t1.addProduct(w1[i], xi)
                    t2.addProduct(w2[i], xi); t3.addProduct(w3[i], xi)
                    u0.addProduct(w0[i], yi); u1.addProduct(w1[i], yi)
                    u2.addProduct(w2[i], yi); u3.addProduct(w3[i], yi)
                    i &+= 1
                }
                let zx = z + (s &* outCount &+ j), zy = zx + outCount
                zx[0] = t0 + b[j]; zx[1] = t1 + b[j &+ 1]; zx[2] = t2 + b[j &+ 2]; zx[3] = t3 + b[j &+ 3]
                zy[0] = u0 + b[j]; zy[1] = u1 + b[j &+ 1]; zy[2] = u2 + b[j &+ 2]; zy[3] = u3 + b[j &+ 3]
                s &+= 2
            }
            if s < batchCount {
                let x = a + s &* inCount, zx = z + (s &* outCount &+ j)
                zx[0] = Kernels.dot(w0, x, count: inCount) + b[j]
                zx[1] = Kernels.dot(w1, x, count: inCount) + b[j &+ 1]
                zx[2] = Kernels.dot(w2, x, count: inCount) + b[j &+ 2]
                zx[3] = Kernels.dot(w3, x, count: inCount) + b[j &+ 3]
            }
            j &+= 4
        }
        while j < outCount {
            for s in 0..<batchCount {
                z[s &* outCount &+ j] = Kernels.dot(w + j &* inCount, a + s &* inCount, count: inCount) + b[j]
            }
            j &+= 1
        }
    }

}
