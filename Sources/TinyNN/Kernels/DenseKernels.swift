/// The kernels of a fully connected layer: the forward product, then the
/// three products backpropagation needs (BP2, BP3, BP4).
extension Kernels {
    /// Forward: `z = W·a + b`.  w: `[Out][In]`, a: `[In]`, b: `[Out]` → z: `[Out]`.
    ///
    /// `z[j] = dot(w[j], a) + b[j]`, the dot product in the canonical order of
    /// ``dot(_:_:count:)``. Each row's sum is unchanged by the tiling, which
    /// depends on the target: where `SIMD8<Float>` lives in vector registers
    /// (`TINYNN_SIMD8`: x86-64, arm64), rows go four at a time so that four independent
    /// accumulator chains hide the FMA latency; on the 32-bit targets, whose
    /// FPUs have 32 single registers (Cortex-M4F, RISC-V F), rows go two at a
    /// time with the 16 lane accumulators as scalars, so that they, the eight
    /// inputs and eight weights of one block fit in registers without spills.
    /// - Parameters:
    ///   - inCount: `In ≥ 1`
    ///   - outCount: `Out ≥ 1`
    ///   - z: must not alias `a`
    @inlinable
    public static func denseForward(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int
    ) {
        #if TINYNN_SIMD8
        denseForwardRows4(w: w, b: b, a: a, z: z, inCount: inCount, outCount: outCount)
        #elseif TINYNN_MVE
        denseForwardMVE(w, b, a, z, inCount, outCount)
        #elseif TINYNN_VFP_DENSE
        denseForwardVFP(w, b, a, z, inCount, outCount)
        #else
        denseForwardRows2(w: w, b: b, a: a, z: z, inCount: inCount, outCount: outCount)
        #endif
    }

    /// ``denseForward(w:b:a:z:inCount:outCount:)`` four rows at a time, the
    /// lane accumulators as `SIMD8<Float>` (for targets with vector registers).
    @inlinable
    public static func denseForwardRows4(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int
    ) {
        let blockEnd = inCount & ~7
        var j = 0
        while j &+ 4 <= outCount {
            let w0 = w + j &* inCount, w1 = w0 + inCount, w2 = w1 + inCount, w3 = w2 + inCount
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            var i = 0
            while i < blockEnd {
                let a8 = load8(a + i)
                s0.addProduct(load8(w0 + i), a8)
                s1.addProduct(load8(w1 + i), a8)
                s2.addProduct(load8(w2 + i), a8)
                s3.addProduct(load8(w3 + i), a8)
                i &+= 8
            }
            var t0 = reduce(s0), t1 = reduce(s1), t2 = reduce(s2), t3 = reduce(s3)
            while i < inCount {
                let ai = a[i]
                t0.addProduct(w0[i], ai); t1.addProduct(w1[i], ai)
                t2.addProduct(w2[i], ai); t3.addProduct(w3[i], ai)
                i &+= 1
            }
            z[j] = t0 + b[j]; z[j &+ 1] = t1 + b[j &+ 1]
            z[j &+ 2] = t2 + b[j &+ 2]; z[j &+ 3] = t3 + b[j &+ 3]
            j &+= 4
        }
        while j < outCount {
            z[j] = dot(w + j &* inCount, a, count: inCount) + b[j]
            j &+= 1
        }
    }

    /// ``denseForward(w:b:a:z:inCount:outCount:)`` two rows at a time, the
    /// 2 × 8 lane accumulators as scalars (for 32-register scalar FPUs). An
    /// odd last row is computed as both rows of its pair and stored once.
    @inlinable
    public static func denseForwardRows2(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int
    ) {
        let blockEnd = inCount & ~7
        var u = w
        var j = 0
        while true {
            let pair = j &+ 1 < outCount
            let v = pair ? u + inCount : u
            var p0: Float = 0, p1: Float = 0, p2: Float = 0, p3: Float = 0
            var p4: Float = 0, p5: Float = 0, p6: Float = 0, p7: Float = 0
            var q0: Float = 0, q1: Float = 0, q2: Float = 0, q3: Float = 0
            var q4: Float = 0, q5: Float = 0, q6: Float = 0, q7: Float = 0
            var i = 0
            while i < blockEnd {
                let x = a + i, r = u + i, s = v + i
                let a0 = x[0], a1 = x[1], a2 = x[2], a3 = x[3], a4 = x[4], a5 = x[5], a6 = x[6], a7 = x[7]
                p0.addProduct(r[0], a0); p1.addProduct(r[1], a1); p2.addProduct(r[2], a2); p3.addProduct(r[3], a3)
                p4.addProduct(r[4], a4); p5.addProduct(r[5], a5); p6.addProduct(r[6], a6); p7.addProduct(r[7], a7)
                q0.addProduct(s[0], a0); q1.addProduct(s[1], a1); q2.addProduct(s[2], a2); q3.addProduct(s[3], a3)
                q4.addProduct(s[4], a4); q5.addProduct(s[5], a5); q6.addProduct(s[6], a6); q7.addProduct(s[7], a7)
                i &+= 8
            }
            // The canonical reduction, ``reduce(_:)``, written out.
            var t0 = ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7))
            var t1 = ((q0 + q4) + (q2 + q6)) + ((q1 + q5) + (q3 + q7))
            while i < inCount {
                let ai = a[i]
                t0.addProduct(u[i], ai); t1.addProduct(v[i], ai)
                i &+= 1
            }
            z[j] = t0 + b[j]
            guard pair else { return }
            z[j &+ 1] = t1 + b[j &+ 1]
            j &+= 2
            guard j < outCount else { return }
            u = v + inCount
        }
    }

    #if TINYNN_MVE
    /// ``denseForward(w:b:a:z:inCount:outCount:)`` for Cortex-M55 (Helium)
    /// in assembly (`Firmware/Support/dense_mve.c`): the same operations in
    /// the same order, two rows at a time with each row's eight lane
    /// accumulators in two q-registers (four MACs per `vfma.f32 q`, eight
    /// floats per `vldmia`), then the reduction, tail and bias four rows at
    /// a time. Compiled in only with `-D TINYNN_MVE` (a board's `SWIFT_DEFINES`).
    @usableFromInline @_extern(c, "tinynn_dense_forward_mve")
    static func denseForwardMVE(
        _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ a: UnsafePointer<Float>,
        _ z: UnsafeMutablePointer<Float>, _ inCount: Int, _ outCount: Int)
    #endif

    #if TINYNN_VFP_DENSE
    /// ``denseForwardRows2(w:b:a:z:inCount:outCount:)`` for Cortex-M4F in
    /// assembly (`Firmware/Support/dense_vfp.c`): the same operations in the
    /// same order, with the weights and inputs loaded eight at a time
    /// (`vldmia`), which needs registers fixed by hand. Compiled in only with
    /// `-D TINYNN_VFP_DENSE` (a board's `SWIFT_DEFINES`).
    @usableFromInline @_extern(c, "tinynn_dense_forward_vfp")
    static func denseForwardVFP(
        _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ a: UnsafePointer<Float>,
        _ z: UnsafeMutablePointer<Float>, _ inCount: Int, _ outCount: Int)
    #endif

    /// The product of BP2 before the Hadamard factor: `e = Wᵀδ`.
    /// w: `[Out][In]`, delta: `[Out]` → e: `[In]`.
    ///
    /// `e[i] = Σⱼ w[j][i]·δ[j]`, summed from `0` in increasing `j`, fused:
    /// `e[i] = fma(w[j][i], δ[j], e[i])`.
    /// - Parameter e: overwritten; must not alias `w` or `delta`.
    @inlinable
    public static func transposedProduct(
        w: UnsafePointer<Float>, delta: UnsafePointer<Float>,
        e: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int
    ) {
        #if TINYNN_MVE
        transposedProductMVE(w, delta, e, inCount, outCount)
        #else
        transposedProductColumns(w: w, delta: delta, e: e, inCount: inCount, outCount: outCount)
        #endif
    }

    #if TINYNN_MVE
    /// ``transposedProduct(w:delta:e:inCount:outCount:)`` for Cortex-M55
    /// (Helium) in C (`Firmware/Support/dense_mve.c`): each column's sum on
    /// its own, four columns a q-register, the last group predicated.
    @usableFromInline @_extern(c, "tinynn_transposed_product_mve")
    static func transposedProductMVE(
        _ w: UnsafePointer<Float>, _ delta: UnsafePointer<Float>, _ e: UnsafeMutablePointer<Float>,
        _ inCount: Int, _ outCount: Int)
    #endif

    /// ``transposedProduct(w:delta:e:inCount:outCount:)`` in Swift, eight
    /// columns at a time (every target but Helium, and the reference the
    /// Helium kernel is checked against).
    @inlinable
    public static func transposedProductColumns(
        w: UnsafePointer<Float>, delta: UnsafePointer<Float>,
        e: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int
    ) {
        let blockEnd = inCount & ~7
        var i = 0
        while i < blockEnd {
            var s = SIMD8<Float>()
            var row = w + i
            for j in 0..<outCount {
                s.addProduct(load8(row), SIMD8(repeating: delta[j]))
                row += inCount
            }
            store8(s, e + i)
            i &+= 8
        }
        while i < inCount {
            var s: Float = 0
            for j in 0..<outCount { s.addProduct(w[j &* inCount &+ i], delta[j]) }
            e[i] = s
            i &+= 1
        }
    }

    /// BP3 and BP4, accumulated over a mini-batch:
    /// `∂C/∂b += δ` and `∂C/∂W += δ·aᵀ`.
    /// delta: `[Out]`, a: `[In]` (the layer's input) → gb: `[Out]`, gw: `[Out][In]`.
    ///
    /// `gb[j] = gb[j] + δ[j]`; `gw[j][i] = fma(δ[j], a[i], gw[j][i])`. Samples
    /// are accumulated in the order they are presented.
    @inlinable
    public static func accumulateGradients(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gw: UnsafeMutablePointer<Float>, gb: UnsafeMutablePointer<Float>,
        inCount: Int, outCount: Int
    ) {
        #if TINYNN_MVE
        accumulateGradientsMVE(delta, a, gw, gb, inCount, outCount)
        #else
        accumulateGradientsRows(delta: delta, a: a, gw: gw, gb: gb, inCount: inCount, outCount: outCount)
        #endif
    }

    /// ``accumulateGradients(delta:a:gw:gb:inCount:outCount:)`` in Swift, one
    /// row at a time (every target but Helium, and the reference the Helium
    /// kernel is checked against).
    @inlinable
    public static func accumulateGradientsRows(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gw: UnsafeMutablePointer<Float>, gb: UnsafeMutablePointer<Float>,
        inCount: Int, outCount: Int
    ) {
        let blockEnd = inCount & ~7
        var row = gw
        for j in 0..<outCount {
            let dj = delta[j]
            gb[j] += dj
            let d8 = SIMD8<Float>(repeating: dj)
            var i = 0
            while i < blockEnd {
                var g = load8(row + i)
                g.addProduct(d8, load8(a + i))
                store8(g, row + i)
                i &+= 8
            }
            while i < inCount {
                row[i].addProduct(dj, a[i])
                i &+= 1
            }
            row += inCount
        }
    }

    #if TINYNN_MVE
    /// ``accumulateGradients(delta:a:gw:gb:inCount:outCount:)`` for Cortex-M55
    /// (Helium) in assembly (`Firmware/Support/dense_mve.c`): the same
    /// elementwise operations, four rows and four inputs at a time.
    @usableFromInline @_extern(c, "tinynn_accumulate_gradients_mve")
    static func accumulateGradientsMVE(
        _ delta: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ gw: UnsafeMutablePointer<Float>,
        _ gb: UnsafeMutablePointer<Float>, _ inCount: Int, _ outCount: Int)
    #endif
}
