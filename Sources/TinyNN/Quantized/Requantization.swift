/// Integer requantization: `y = round(x·M)` for a real multiplier `M` held
/// as a Q31 integer `multiplier` and a power-of-two `shift`,
/// `M = multiplier·2^(shift − 31)`, with `multiplier` in `[0, 2³¹)`.
///
/// The rounding is defined once, here: one rounding of the exact 64-bit
/// product, half toward +∞,
///
///     y = ⌊(x·multiplier + 2^(T−1)) / 2^T⌋,   T = 31 − shift,
///
/// which is TensorFlow Lite Micro's `TFLITE_SINGLE_ROUNDING` and CMSIS-NN's
/// `CMSIS_NN_USE_SINGLE_ROUNDING` definition of `MultiplyByQuantizedMultiplier`
/// (their `(x·m >> (T − 1)) + 1 >> 1`, the same integer). It is within ½ of the
/// real `x·M` (gemmlowp's default double rounding, a rounding high multiply and
/// then a rounding shift, is within 1), and for the usual `shift ≤ −2` it is
/// the product's high word, one add and one shift (``highWord(_:_:)``,
/// ``multiply(_:by:half:k:)``): `smmul`/`smmla` on Armv7E-M, `mulh` on
/// RV32IM, `vmulh` and `vrshl` on Helium. Only 32-bit integer operations, so
/// every target and the host give the same bits.
public enum Requantization {
    /// `⌊a·b / 2³²⌋`, the high word of the exact product.
    ///
    /// `multipliedFullWidth` (Embedded Swift cannot widen to `Int64` under
    /// `-no-allocations` on 32-bit targets); with `-D TINYNN_THUMB1_INT8` from
    /// 16-bit halves (``highWordInHalves(_:_:)``: ARMv6-M has no 32×32→64
    /// multiply, and `__aeabi_lmul` costs some 40 instructions), the same bits.
    @inlinable @inline(__always)
    public static func highWord(_ a: Int32, _ b: Int32) -> Int32 {
        #if TINYNN_THUMB1_INT8
        return highWordInHalves(a, b)
        #else
        return a.multipliedFullWidth(by: b).high
        #endif
    }

    /// `⌊a·b / 2³²⌋` from four 16×16 products, each exact in 32 bits: with
    /// `a = aₕ·2¹⁶ + aₗ`, `b = bₕ·2¹⁶ + bₗ` (`aₕ`, `bₕ` signed, `aₗ`, `bₗ` in
    /// 0…65535), `a·b = aₕbₕ·2³² + (p₁ + p₂)·2¹⁶ + aₗbₗ` for `p₁ = aₕbₗ`,
    /// `p₂ = aₗbₕ`, so `⌊a·b/2³²⌋ = aₕbₕ + ⌊p₁/2¹⁶⌋ + ⌊p₂/2¹⁶⌋ +
    /// ⌊(p₁ mod 2¹⁶ + p₂ mod 2¹⁶ + ⌊aₗbₗ/2¹⁶⌋)/2¹⁶⌋`, the last sum below 2¹⁸.
    @inlinable @inline(__always)
    public static func highWordInHalves(_ a: Int32, _ b: Int32) -> Int32 {
        let ah = a &>> 16, al = a & 0xFFFF, bh = b &>> 16, bl = b & 0xFFFF
        let p1 = ah &* bl, p2 = al &* bh
        let low = Int32(bitPattern: UInt32(bitPattern: al &* bl) &>> 16)
        return ah &* bh &+ (p1 &>> 16) &+ (p2 &>> 16) &+ (((p1 & 0xFFFF) &+ (p2 & 0xFFFF) &+ low) &>> 16)
    }

    /// `round(x·multiplier·2^(shift − 31))`, one rounding half toward +∞ (see
    /// the type). The result wraps when the real product is outside `Int32`,
    /// which needs `shift > 0`.
    /// - Parameter shift: `-31...30`.
    @inlinable @inline(__always)
    public static func multiply(_ x: Int32, by multiplier: Int32, shift: Int32) -> Int32 {
        let t = 31 &- shift
        if t >= 33 { return multiply(x, by: multiplier, half: Int32(1) &<< (t &- 33), k: t &- 32) }
        let p = x.multipliedFullWidth(by: multiplier)
        if t == 32 { return p.high &+ Int32(bitPattern: p.low &>> 31) }
        // t in 1…31: the 2^(t−1) added to the low word, its carry to the high one.
        let (low, carry) = p.low.addingReportingOverflow(UInt32(1) &<< UInt32(t &- 1))
        let high = p.high &+ (carry ? 1 : 0)
        return (high &<< (32 &- t)) | Int32(bitPattern: low &>> UInt32(t))
    }

    /// ``multiply(_:by:shift:)`` for `shift ≤ −2` with the layer's constants
    /// `k = −1 − shift ≥ 1` and `half = 2^(k−1)`: `(⌊x·m/2³²⌋ + 2^(k−1)) >> k`,
    /// since `2^(T−1)` is then a multiple of 2³² and adding `x·m mod 2³²`
    /// cannot change the quotient.
    @inlinable @inline(__always)
    public static func multiply(_ x: Int32, by multiplier: Int32, half: Int32, k: Int32) -> Int32 {
        (highWord(x, multiplier) &+ half) &>> k
    }
}
