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
    /// In 32-bit halves (`multipliedFullWidth`), since Embedded Swift cannot
    /// widen to `Int64` under `-no-allocations` on 32-bit targets.
    @inlinable @inline(__always)
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == .min { return .max }
        let p = a.multipliedFullWidth(by: b)
        let (low, carry) = p.low.addingReportingOverflow(0x4000_0000)
        let high = p.high &+ (carry ? 1 : 0)
        return (high &<< 1) | Int32(bitPattern: low &>> 31)
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
