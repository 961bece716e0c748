/// The arithmetic every network runs, written once for every target.
///
/// Legend for shapes: `In` is a layer's input width, `Out` its output width;
/// matrices are row-major, `w: [Out][In]` (row `j` holds the weights into
/// neuron `j`). Pointers must address the stated number of `Float`s; they need
/// only `Float` alignment.
///
/// **One summation order.** Every multiply-add is fused (`addingProduct`, one
/// rounding) and every sum is taken in the order documented on its kernel.
/// Fused multiply-add is an exact IEEE operation, so the host (FMA
/// instructions or libm `fmaf`), Cortex-M4F (`vfma.f32`), soft-float targets
/// (`fmaf` in software) and RISC-V (`fmadd.s`) produce the same bits.
/// Faster variants may tile differently across rows or samples but never
/// change the order of the terms summed into one result. The SIMD helpers
/// (`load8`, `store8`, `reduce`) are internal: `SIMD8<Float>` is a register
/// tile inside the kernels, not part of their API.
///
/// **Which tile, by capability.** A target's kernels are chosen by what its
/// CPU has, each capability one compilation condition, set in one place
/// (`Package.swift` for the host, a board's `SWIFT_DEFINES` in its
/// `board.env`):
/// - `TINYNN_SIMD8`: `SIMD8<Float>` lives in vector registers (16 or 32 of
///   8 or 2×4 lanes: x86-64 AVX2, arm64 NEON): four-row SIMD8 tiles, the
///   eight-lane activations and the batched engine's vector paths.
/// - `TINYNN_MVE`: 8 vector registers of 4 floats (Cortex-M55/M85 Helium):
///   the kernels of `Support/dense_mve.c`, `activation_mve.c` and
///   `optimizer_mve.c`.
/// - `TINYNN_VFP_DENSE`: 32 single-precision FP registers with `vldmia`
///   (Cortex-M4F/M7/M33): the dense forward kernel of `Support/dense_vfp.c`.
/// - none of these (one FPU with few registers, or none: Cortex-M0,
///   RISC-V32): the portable two-row Swift kernels.
/// Every choice computes the same bits (the summation order above), which
/// `DenseKernelsTests`, each firmware's start-up self-check and
/// `Scripts/verify` prove.
public enum Kernels {}

extension Kernels {
    /// The dot product `Σᵢ x[i]·y[i]` in the canonical order.
    ///
    /// Eight lane accumulators `s[l]` each take the terms `i ≡ l (mod 8)` of
    /// the leading `8·⌊n/8⌋` elements, in increasing `i`, fused:
    /// `s[l] = fma(x[i], y[i], s[l])`. They are reduced as
    /// `((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7))`; the tail `i ≥ 8·⌊n/8⌋` is
    /// then added in increasing `i`, fused.
    /// - Parameters:
    ///   - x: `[count]`
    ///   - y: `[count]`
    ///   - count: `≥ 0`
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var s = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            s.addProduct(load8(x + i), load8(y + i))
            i &+= 8
        }
        var total = reduce(s)
        while i < count {
            total.addProduct(x[i], y[i])
            i &+= 1
        }
        return total
    }

    /// Eight consecutive floats as a register tile (needs only `Float` alignment).
    @inlinable @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        SIMD8(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    }

    /// Stores a register tile to eight consecutive floats.
    @inlinable @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        p[0] = v[0]; p[1] = v[1]; p[2] = v[2]; p[3] = v[3]
        p[4] = v[4]; p[5] = v[5]; p[6] = v[6]; p[7] = v[7]
    }

    /// The canonical horizontal sum `((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7))`.
    @inlinable @inline(__always)
    static func reduce(_ s: SIMD8<Float>) -> Float {
        let s4 = s.lowHalf + s.highHalf
        let s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }

    /// The IEEE square root, lane by lane, for every lane whose root is not
    /// NaN (`√±0 = ±0`; a negative lane gives NaN, though not necessarily
    /// the hardware's NaN bits).
    ///
    /// On Linux `Float.squareRoot()` becomes a square-root instruction
    /// guarded by a call to libm's `sqrtf` for negative input (to set
    /// `errno`), one lane at a time. The root of `|x|` needs no guard, so
    /// the compiler can use one vector instruction; the sign (for `−0`) is
    /// copied back and negative lanes made NaN afterwards, in a form the
    /// optimizer cannot fold back into the guarded call.
    @inlinable @inline(__always)
    static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var r = SIMD8<Float>()
        for l in 0..<8 { r[l] = Float(signOf: x[l], magnitudeOf: x[l].magnitude.squareRoot()) }
        return r.replacing(with: .nan, where: x .< 0)
    }

    /// ``squareRoot(_:)-(SIMD8<Float>)`` on `x: [8]` → `r: [8]`: the vector
    /// form, for tests (the SIMD helpers themselves are internal).
    @_spi(Testing)
    public static func squareRoot8(_ x: UnsafePointer<Float>, _ r: UnsafeMutablePointer<Float>) {
        store8(squareRoot(load8(x)), r)
    }

    /// The scalar form of ``squareRoot(_:)-(SIMD8<Float>)``.
    @inlinable @inline(__always)
    public static func squareRoot(_ x: Float) -> Float {
        let r = Float(signOf: x, magnitudeOf: x.magnitude.squareRoot())
        return x < 0 ? .nan : r
    }
}
