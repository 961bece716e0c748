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

    /// The portable kernel (Cortex-M0, RISC-V, the host): two rows at a time,
    /// so each input byte is loaded once for two products.
    @inlinable
    public static func densePortable(
        w: UnsafePointer<Int8>, b: UnsafePointer<Int32>, x: UnsafePointer<Int8>,
        z: UnsafeMutablePointer<Int32>, inCount: Int, outCount: Int
    ) {
        var j = 0
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
    /// ``requantizePortable(_:multiplier:shift:zeroPoint:lo:into:count:)``, the
    /// one every board selects today: the same bits are required of any kernel
    /// added here (the inference-int8 app checks it against the portable one).
    @inlinable @inline(__always)
    public static func requantize(
        _ z: UnsafePointer<Int32>, multiplier: UnsafePointer<Int32>, shift: Int32, zeroPoint: Int32, lo: Int32,
        into a: UnsafeMutablePointer<Int8>, count: Int
    ) {
        requantizePortable(z, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint, lo: lo, into: a, count: count)
    }

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
