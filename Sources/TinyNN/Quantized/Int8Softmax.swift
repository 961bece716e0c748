/// Softmax over int8 logits in integer arithmetic only:
/// `p_j = e^(s·(q_j − q_max)) / Σₖ e^(s·(q_k − q_max))`, `s` the logits' scale,
/// written as int8 probabilities at scale 1/256 with zero point −128 (TFLM's
/// convention: `p = (q + 128)/256`, 127 standing for 1).
///
/// The model carries `β = round(s·log₂e·2²⁰)`; then for `d_j = q_max − q_j`
/// (0…255), `e^(−s·d_j) = 2^(−t)` with `t = d_j·β` in Q20. `2^(−t)` is
/// `2^(−k)·2^(−h/16)·2^(−g)`: `k` the integer part (a shift), `h` the next four
/// bits (a 16-entry Q15 table) and `g < 1/16` the rest, where a cubic in Q15
/// is within 2·10⁻⁷ of `2^(−g)`. Each `E_j` is Q16 (`E = 65536` for the
/// largest logit); the sum's reciprocal is taken once, `R = ⌊(2³² − 1)/ΣE⌋`,
/// and `p_j = ⌊(E_j·R/2²³ + 1)/2⌋ − 128`, clamped to 127. Every step truncates
/// or rounds as written, so the bits are the same on every target.
public enum Int8Softmax {
    /// `round(2^(−h/16)·2¹⁵)` for `h = 0…15`.
    @inlinable @inline(__always)
    static func exp2Table(_ h: Int32) -> Int32 {
        switch h {
        case 0: 32768; case 1: 31379; case 2: 30048; case 3: 28774
        case 4: 27554; case 5: 26386; case 6: 25268; case 7: 24196
        case 8: 23170; case 9: 22188; case 10: 21247; case 11: 20347
        case 12: 19484; case 13: 18658; case 14: 17867; default: 17109
        }
    }

    /// `2^(−t)` in Q16 for `t ≥ 0` in Q20 (0 once it is below 2⁻¹⁶).
    @inlinable @inline(__always)
    public static func exp2Negative(q20 t: Int32) -> Int32 {
        let k = t &>> 20
        if k >= 17 { return 0 }
        let h = (t &>> 16) & 15
        let g = (t & 0xFFFF) &>> 5                  // Q15, < 2¹¹
        let x = (g &* 22713) &>> 15                 // g·ln 2 in Q15 (ln 2 = 22713/2¹⁵)
        let x2 = (x &* x) &>> 15, x3 = (x2 &* x) &>> 15
        let p = 32768 &- x &+ (x2 &>> 1) &- ((x3 &* 5461) &>> 15)  // e^(−x) ≈ 1 − x + x²/2 − x³/6
        return (exp2Table(h) &* p) &>> (14 &+ k)
    }

    /// The probabilities of int8 logits:
    /// ``probabilitiesPortable(_:count:beta:into:scratch:)``, or with
    /// `-D TINYNN_MVE_INT8` the Helium loop of
    /// `Firmware/Support/softmax_int8_mve.c`, the same bits (the inference-int8
    /// app checks the selected loop against the portable one).
    /// - Parameters:
    ///   - logits: `[count]`, `count` in 1…32768.
    ///   - beta: `round(s·log₂e·2²⁰)` for the logits' scale `s`, in 1…2²³.
    ///   - p: `[count]`, int8 probabilities (scale 1/256, zero point −128).
    ///   - scratch: `[count]` for the exponentials (the logits' int32 sums,
    ///     no longer needed, will do).
    @inlinable @inline(__always)
    public static func probabilities(
        _ logits: UnsafePointer<Int8>, count: Int, beta: Int32, into p: UnsafeMutablePointer<Int8>,
        scratch: UnsafeMutablePointer<Int32>
    ) {
        #if TINYNN_MVE_INT8
        probabilitiesMVE(logits, Int32(truncatingIfNeeded: count), beta, p, scratch)
        #else
        probabilitiesPortable(logits, count: count, beta: beta, into: p, scratch: scratch)
        #endif
    }

    #if TINYNN_MVE_INT8
    /// `Firmware/Support/softmax_int8_mve.c`:
    /// ``probabilitiesPortable(_:count:beta:into:scratch:)`` four logits a
    /// Helium instruction (`vmaxv.s8`, a gathered table, `vshl` by −(14 + k),
    /// `vrshr`), the same bits.
    @usableFromInline @_extern(c, "tinynn_softmax_int8_mve")
    static func probabilitiesMVE(
        _ logits: UnsafePointer<Int8>, _ count: Int32, _ beta: Int32, _ p: UnsafeMutablePointer<Int8>,
        _ scratch: UnsafeMutablePointer<Int32>)
    #endif

    /// The portable softmax loop, the definition; parameters as
    /// ``probabilities(_:count:beta:into:scratch:)``.
    @inlinable
    public static func probabilitiesPortable(
        _ logits: UnsafePointer<Int8>, count: Int, beta: Int32, into p: UnsafeMutablePointer<Int8>,
        scratch: UnsafeMutablePointer<Int32>
    ) {
        var m = logits[0]
        for j in 1..<max(count, 1) where logits[j] > m { m = logits[j] }
        var sum: UInt32 = 0
        for j in 0..<count {
            let d = Int32(m) &- Int32(logits[j])
            let e = exp2Negative(q20: d &* beta)
            scratch[j] = e
            sum &+= UInt32(truncatingIfNeeded: e)
        }
        let r = UInt32.max / sum
        for j in 0..<count {
            let e = UInt32(truncatingIfNeeded: scratch[j])
            let q = ((e &* r) &>> 23 &+ 1) &>> 1
            p[j] = Int8(truncatingIfNeeded: Int32(min(q, 255)) &- 128)
        }
    }
}
