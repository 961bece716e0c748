/// The int8 inference arithmetic, integer only: the dense product, the
/// requantization of its sums with the activation folded in, and 256-entry
/// activation tables.
///
/// A layer's int8 input `x` and output `a` are affine images of real values,
/// `real = scale·(q − zeroPoint)`; weights are symmetric per output channel
/// (`zeroPoint` 0), biases int32 at scale `s_x·s_w[j]`. The input's zero point
/// is folded into the bias when the model is quantized,
/// `b[j] = round(bias/(s_x·s_w[j])) − zp_x·Σᵢ w[j][i]`, so the kernel sums plain
/// products. Every sum is exact (wrapping arithmetic that cannot wrap for
/// `In ≤ 2¹⁷` with `|b| < 2³⁰`): the order of terms cannot change a bit, and
/// every kernel variant gives the portable one's results.
public enum Int8Kernels {}

extension Int8Kernels {
    /// `z[j] = b[j] + Σᵢ w[j][i]·x[i]`, exact in `Int32`.
    /// w: `[Out][In]`, b: `[Out]`, x: `[In]`, z: `[Out]`.
    ///
    /// ``densePortable(w:b:x:z:inCount:outCount:)``, or with `-D TINYNN_DSP_INT8`
    /// (a board's `SWIFT_DEFINES`) the SMLAD kernel of
    /// `Firmware/Support/dense_int8_dsp.c`, with `-D TINYNN_MVE_INT8` the Helium
    /// kernel of `Firmware/Support/dense_int8_mve.c`, with `-D TINYNN_THUMB1_INT8`
    /// the ARMv6-M one of `Firmware/Support/dense_int8_thumb1.c`: the sums are
    /// exact, so the same bits.
    @inlinable @inline(__always)
    public static func dense(
        w: UnsafePointer<Int8>, b: UnsafePointer<Int32>, x: UnsafePointer<Int8>,
        z: UnsafeMutablePointer<Int32>, inCount: Int, outCount: Int
    ) {
        #if TINYNN_DSP_INT8
        denseDSP(w, b, x, z, Int32(truncatingIfNeeded: inCount), Int32(truncatingIfNeeded: outCount))
        #elseif TINYNN_MVE_INT8
        denseMVE(w, b, x, z, Int32(truncatingIfNeeded: inCount), Int32(truncatingIfNeeded: outCount))
        #elseif TINYNN_THUMB1_INT8
        denseThumb1(w, b, x, z, Int32(truncatingIfNeeded: inCount), Int32(truncatingIfNeeded: outCount))
        #else
        densePortable(w: w, b: b, x: x, z: z, inCount: inCount, outCount: outCount)
        #endif
    }

    #if TINYNN_DSP_INT8
    @usableFromInline @_extern(c, "tinynn_dense_int8_dsp")
    static func denseDSP(
        _ w: UnsafePointer<Int8>, _ b: UnsafePointer<Int32>, _ x: UnsafePointer<Int8>,
        _ z: UnsafeMutablePointer<Int32>, _ inCount: Int32, _ outCount: Int32)
    #endif

    #if TINYNN_MVE_INT8
    @usableFromInline @_extern(c, "tinynn_dense_int8_mve")
    static func denseMVE(
        _ w: UnsafePointer<Int8>, _ b: UnsafePointer<Int32>, _ x: UnsafePointer<Int8>,
        _ z: UnsafeMutablePointer<Int32>, _ inCount: Int32, _ outCount: Int32)
    #endif

    #if TINYNN_THUMB1_INT8
    @usableFromInline @_extern(c, "tinynn_dense_int8_thumb1")
    static func denseThumb1(
        _ w: UnsafePointer<Int8>, _ b: UnsafePointer<Int32>, _ x: UnsafePointer<Int8>,
        _ z: UnsafeMutablePointer<Int32>, _ inCount: Int32, _ outCount: Int32)
    #endif

    /// The portable kernel (RISC-V, the host): eight rows at a time and four
    /// inputs a step, so each input byte is loaded once for eight products and
    /// each row's weights are read at offsets 0…3 from one address that moves
    /// once a step: per 32 MACs 4 input loads, 32 weight loads, 32 multiplies,
    /// 32 adds and about 11 for the addresses and the loop (RV32IM: 3.5
    /// instructions per MAC, against 5 for two rows an input). The last
    /// `Out mod 8` rows go two and one at a time.
    @inlinable
    public static func densePortable(
        w: UnsafePointer<Int8>, b: UnsafePointer<Int32>, x: UnsafePointer<Int8>,
        z: UnsafeMutablePointer<Int32>, inCount: Int, outCount: Int
    ) {
        var j = 0
        while j &+ 8 <= outCount {
            rows8(w + j &* inCount, b + j, x, z + j, inCount)
            j &+= 8
        }
        while j &+ 2 <= outCount {
            let w0 = w + j &* inCount, w1 = w0 + inCount
            var s0 = b[j], s1 = b[j &+ 1]
            for i in 0..<inCount {
                let xi = Int32(x[i])
                s0 = s0 &+ Int32(w0[i]) &* xi
                s1 = s1 &+ Int32(w1[i]) &* xi
            }
            z[j] = s0; z[j &+ 1] = s1
            j &+= 2
        }
        if j < outCount { z[j] = b[j] &+ dot(w + j &* inCount, x, count: inCount) }
    }

    /// Eight rows of ``densePortable(w:b:x:z:inCount:outCount:)``:
    /// `z[k] = b[k] + Σᵢ w[k·n + i]·x[i]` for `k = 0…7`.
    @inlinable @inline(__always)
    static func rows8(
        _ w: UnsafePointer<Int8>, _ b: UnsafePointer<Int32>, _ x: UnsafePointer<Int8>,
        _ z: UnsafeMutablePointer<Int32>, _ n: Int
    ) {
        let w0 = w, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n, w4 = w3 + n, w5 = w4 + n, w6 = w5 + n, w7 = w6 + n
        var s0 = b[0], s1 = b[1], s2 = b[2], s3 = b[3], s4 = b[4], s5 = b[5], s6 = b[6], s7 = b[7]
        /// `Σ_{t<4} w[i + t]·x_t`, the step's four products of one row.
        @inline(__always)
        func step(_ w: UnsafePointer<Int8>, _ i: Int, _ x0: Int32, _ x1: Int32, _ x2: Int32, _ x3: Int32) -> Int32 {
            Int32(w[i]) &* x0 &+ Int32(w[i &+ 1]) &* x1 &+ Int32(w[i &+ 2]) &* x2 &+ Int32(w[i &+ 3]) &* x3
        }
        var i = 0
        while i &+ 4 <= n {
            let x0 = Int32(x[i]), x1 = Int32(x[i &+ 1]), x2 = Int32(x[i &+ 2]), x3 = Int32(x[i &+ 3])
            s0 = s0 &+ step(w0, i, x0, x1, x2, x3); s1 = s1 &+ step(w1, i, x0, x1, x2, x3)
            s2 = s2 &+ step(w2, i, x0, x1, x2, x3); s3 = s3 &+ step(w3, i, x0, x1, x2, x3)
            s4 = s4 &+ step(w4, i, x0, x1, x2, x3); s5 = s5 &+ step(w5, i, x0, x1, x2, x3)
            s6 = s6 &+ step(w6, i, x0, x1, x2, x3); s7 = s7 &+ step(w7, i, x0, x1, x2, x3)
            i &+= 4
        }
        while i < n {
            let xi = Int32(x[i])
            s0 = s0 &+ Int32(w0[i]) &* xi; s1 = s1 &+ Int32(w1[i]) &* xi
            s2 = s2 &+ Int32(w2[i]) &* xi; s3 = s3 &+ Int32(w3[i]) &* xi
            s4 = s4 &+ Int32(w4[i]) &* xi; s5 = s5 &+ Int32(w5[i]) &* xi
            s6 = s6 &+ Int32(w6[i]) &* xi; s7 = s7 &+ Int32(w7[i]) &* xi
            i &+= 1
        }
        z[0] = s0; z[1] = s1; z[2] = s2; z[3] = s3; z[4] = s4; z[5] = s5; z[6] = s6; z[7] = s7
    }

    /// The definition every kernel is checked against: one row at a time,
    /// `z[j] = b[j] + Σᵢ w[j][i]·x[i]` (``dot(_:_:count:)``).
    @inlinable
    public static func denseReference(
        w: UnsafePointer<Int8>, b: UnsafePointer<Int32>, x: UnsafePointer<Int8>,
        z: UnsafeMutablePointer<Int32>, inCount: Int, outCount: Int
    ) {
        for j in 0..<outCount { z[j] = b[j] &+ dot(w + j &* inCount, x, count: inCount) }
    }

    /// `Σᵢ w[i]·x[i]`, exact in `Int32`.  w, x: `[count]`.
    @inlinable
    public static func dot(_ w: UnsafePointer<Int8>, _ x: UnsafePointer<Int8>, count: Int) -> Int32 {
        var s: Int32 = 0
        for i in 0..<count { s = s &+ Int32(w[i]) &* Int32(x[i]) }
        return s
    }

    /// `a[j] = clamp(M_j·z[j] + zeroPoint, lo, 127)`: identity (`lo` −128) or
    /// ReLU (`lo` the zero point, the real 0), folded into the clamp. For the
    /// usual `shift ≤ −2` the loop is the high word, an add and a shift
    /// (``Requantization/multiply(_:by:half:k:)``).
    /// z, multiplier: `[count]`; a: `[count]`.
    ///
    /// ``requantizePortable(_:multiplier:shift:zeroPoint:lo:into:count:)``, or
    /// for `shift ≤ −2` with `-D TINYNN_THUMB1_INT8` the ARMv6-M loop of
    /// `Firmware/Support/requantize_int8_thumb1.c`, with `-D TINYNN_MVE_INT8`
    /// the Helium one of `requantize_int8_mve.c`, with `-D TINYNN_DSP_INT8`
    /// the `smmul`/`ssat` one of `requantize_int8_dsp.c`: the same bits (the
    /// inference-int8 app checks the selected loop against the portable one).
    @inlinable @inline(__always)
    public static func requantize(
        _ z: UnsafePointer<Int32>, multiplier: UnsafePointer<Int32>, shift: Int32, zeroPoint: Int32, lo: Int32,
        into a: UnsafeMutablePointer<Int8>, count: Int
    ) {
        #if TINYNN_THUMB1_INT8 || TINYNN_MVE_INT8 || TINYNN_DSP_INT8
        if shift <= -2 {
            requantizeShifted(z, multiplier, a, Int32(truncatingIfNeeded: count), -1 &- shift, zeroPoint, lo)
            return
        }
        #endif
        requantizePortable(z, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint, lo: lo, into: a, count: count)
    }

    #if TINYNN_THUMB1_INT8
    /// `Firmware/Support/requantize_int8_thumb1.c`: the `shift ≤ −2` loop of
    /// ``requantizePortable(_:multiplier:shift:zeroPoint:lo:into:count:)`` in
    /// ARMv6-M assembly (31 instructions an output against 44), the same bits.
    @usableFromInline @_extern(c, "tinynn_requantize_int8_thumb1")
    static func requantizeShifted(
        _ z: UnsafePointer<Int32>, _ multiplier: UnsafePointer<Int32>, _ a: UnsafeMutablePointer<Int8>,
        _ count: Int32, _ k: Int32, _ zeroPoint: Int32, _ lo: Int32)
    #elseif TINYNN_MVE_INT8
    /// `Firmware/Support/requantize_int8_mve.c`: the `shift ≤ −2` loop of
    /// ``requantizePortable(_:multiplier:shift:zeroPoint:lo:into:count:)`` with
    /// Helium (`vmulh`, `vrshl`; 9 instructions per four outputs against 8 to
    /// 12 an output), the same bits.
    @usableFromInline @_extern(c, "tinynn_requantize_int8_mve")
    static func requantizeShifted(
        _ z: UnsafePointer<Int32>, _ multiplier: UnsafePointer<Int32>, _ a: UnsafeMutablePointer<Int8>,
        _ count: Int32, _ k: Int32, _ zeroPoint: Int32, _ lo: Int32)
    #elseif TINYNN_DSP_INT8
    /// `Firmware/Support/requantize_int8_dsp.c`: the `shift ≤ −2` loop of
    /// ``requantizePortable(_:multiplier:shift:zeroPoint:lo:into:count:)``
    /// with `smmul` and `ssat`, two outputs a round, the same bits.
    @usableFromInline @_extern(c, "tinynn_requantize_int8_dsp")
    static func requantizeShifted(
        _ z: UnsafePointer<Int32>, _ multiplier: UnsafePointer<Int32>, _ a: UnsafeMutablePointer<Int8>,
        _ count: Int32, _ k: Int32, _ zeroPoint: Int32, _ lo: Int32)
    #endif

    /// The portable requantization loop.
    @inlinable
    public static func requantizePortable(
        _ z: UnsafePointer<Int32>, multiplier: UnsafePointer<Int32>, shift: Int32, zeroPoint: Int32, lo: Int32,
        into a: UnsafeMutablePointer<Int8>, count: Int
    ) {
        if shift <= -2 {
            let k = -1 &- shift, half = Int32(1) &<< (k &- 1)
            for j in 0..<count {
                let y = Requantization.multiply(z[j], by: multiplier[j], half: half, k: k) &+ zeroPoint
                a[j] = Int8(truncatingIfNeeded: min(max(y, lo), 127))
            }
            return
        }
        for j in 0..<count {
            let y = Requantization.multiply(z[j], by: multiplier[j], shift: shift) &+ zeroPoint
            a[j] = Int8(truncatingIfNeeded: min(max(y, lo), 127))
        }
    }

    /// Leaky ReLU folded into the requantization: `M_j` for `z ≥ 0`, the
    /// negative side's `M⁻_j = slope·M_j` (its own multiplier and shift) for
    /// `z < 0` (the sum has the sign of the real `z`, whose scale is positive).
    @inlinable
    public static func requantizeLeaky(
        _ z: UnsafePointer<Int32>, multiplier: UnsafePointer<Int32>, shift: Int32,
        negativeMultiplier: UnsafePointer<Int32>, negativeShift: Int32, zeroPoint: Int32,
        into a: UnsafeMutablePointer<Int8>, count: Int
    ) {
        for j in 0..<count {
            let v = z[j]
            let y = (v >= 0 ? Requantization.multiply(v, by: multiplier[j], shift: shift)
                            : Requantization.multiply(v, by: negativeMultiplier[j], shift: negativeShift)) &+ zeroPoint
            a[j] = Int8(truncatingIfNeeded: min(max(y, -128), 127))
        }
    }

    /// `a[j] = table[a[j] + 128]` in place: sigmoid and tanh as 256-entry
    /// tables over the int8 pre-activation.  a: `[count]`, table: `[256]`.
    @inlinable
    public static func lookup(_ a: UnsafeMutablePointer<Int8>, table: UnsafePointer<Int8>, count: Int) {
        for j in 0..<count { a[j] = table[Int(a[j]) &+ 128] }
    }

    /// The index of the largest of `count ≥ 1` values, the first of equals
    /// (``Kernels/argmax(_:count:)``).
    @inlinable
    public static func argmax(_ a: UnsafePointer<Int8>, count: Int) -> Int {
        Kernels.argmax(a, count: count)
    }
}
