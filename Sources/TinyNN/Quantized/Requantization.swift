/// Integer requantization: `y = round(x·M)` for a real multiplier `M` held
/// as a Q31 integer `multiplier` and a power-of-two `shift`,
/// `M = multiplier·2^(shift − 31)`, with `multiplier` in `[2³⁰, 2³¹)` (or 0).
///
/// The rounding is defined once, here, and is TensorFlow Lite Micro's and
/// CMSIS-NN's (gemmlowp's `SaturatingRoundingDoublingHighMul` followed by
/// `RoundingDivideByPOT`, their default double rounding): the high product
/// rounds half toward +∞, then the right shift rounds half away from zero. Only 32- and 64-bit integer operations, so every target and
/// the host give the same bits.
public enum Requantization {
    /// `⌊(a·b + 2³⁰) / 2³¹⌋`: `a·b/2³¹` rounded to nearest, ties toward +∞
    /// (gemmlowp's nudge of `2³⁰`, or `1 − 2³⁰` before a truncating division
    /// for a negative product, is this); the one product that does not fit,
    /// `Int32.min·Int32.min`, saturates to `Int32.max`.
    ///
    /// In 32-bit words (`multipliedFullWidth`), since Embedded Swift cannot
    /// widen to `Int64` under `-no-allocations` on 32-bit targets; with
    /// `-D TINYNN_THUMB1_INT8` from 16-bit halves
    /// (``highMulInHalves(_:_:)``, ARMv6-M has no 32×32→64 multiply), the same bits.
    @inlinable @inline(__always)
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == .min { return .max }
        #if TINYNN_THUMB1_INT8
        return highMulInHalves(a, b)
        #else
        let p = a.multipliedFullWidth(by: b)
        let (low, carry) = p.low.addingReportingOverflow(0x4000_0000)
        let high = p.high &+ (carry ? 1 : 0)
        return (high &<< 1) | Int32(bitPattern: low &>> 31)
        #endif
    }

    /// `⌊(a·b + 2³⁰) / 2³¹⌋` (wrapping only for `Int32.min·Int32.min`) from
    /// four 16×16 products, each exact in 32 bits: with `a = aₕ·2¹⁶ + aₗ`,
    /// `b = bₕ·2¹⁶ + bₗ` (`aₕ`, `bₕ` signed, `aₗ`, `bₗ` in 0…65535),
    /// `⌊(a·b + 2³⁰)/2¹⁶⌋ = aₕbₕ·2¹⁶ + p₁ + p₂ + ⌊aₗbₗ/2¹⁶⌋ + 2¹⁴` for
    /// `p₁ = aₕbₗ`, `p₂ = aₗbₕ`, and its `⌊·/2¹⁵⌋` is
    /// `2aₕbₕ + ⌊p₁/2¹⁵⌋ + ⌊p₂/2¹⁵⌋ + ⌊(p₁ mod 2¹⁵ + p₂ mod 2¹⁵ + ⌊aₗbₗ/2¹⁶⌋ + 2¹⁴)/2¹⁵⌋`,
    /// the last sum below 2¹⁸.
    @inlinable @inline(__always)
    public static func highMulInHalves(_ a: Int32, _ b: Int32) -> Int32 {
        let ah = a &>> 16, al = a & 0xFFFF, bh = b &>> 16, bl = b & 0xFFFF
        let p1 = ah &* bl, p2 = al &* bh
        let low = Int32(bitPattern: UInt32(bitPattern: al &* bl) &>> 16)
        return (ah &* bh) &<< 1 &+ (p1 &>> 15) &+ (p2 &>> 15)
            &+ (((p1 & 0x7FFF) &+ (p2 & 0x7FFF) &+ low &+ 0x4000) &>> 15)
    }

    /// `x / 2^exponent` rounded to nearest, ties away from zero.
    /// - Parameter exponent: `0...31`.
    @inlinable @inline(__always)
    public static func roundingDivideByPOT(_ x: Int32, _ exponent: Int32) -> Int32 {
        let mask = (Int32(1) &<< exponent) &- 1
        let remainder = x & mask
        let threshold = (mask &>> 1) &+ (x < 0 ? 1 : 0)
        return (x &>> exponent) &+ (remainder > threshold ? 1 : 0)
    }

    /// `round(x·multiplier·2^(shift − 31))` as TFLM's `MultiplyByQuantizedMultiplier`:
    /// a positive `shift` multiplies `x` by `2^shift` first (wrapping, as a
    /// C `x * (1 << shift)` that does not overflow), a negative one divides
    /// the high product by `2^−shift` with rounding.
    /// - Parameter shift: `-31...30`.
    @inlinable @inline(__always)
    public static func multiply(_ x: Int32, by multiplier: Int32, shift: Int32) -> Int32 {
        let left = shift > 0 ? shift : 0
        let right = shift > 0 ? 0 : -shift
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x &<< left, multiplier), right)
    }
}
