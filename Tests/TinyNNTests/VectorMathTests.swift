#if TINYNN_SIMD8
import Foundation
import Testing
import TinyNN

/// The eight-lane sigmoid, tanh and exp against the scalar ``TinyMath``
/// functions, bit for bit: no tolerance, because the batched engine uses
/// the vector forms and must give the per-sample engine's bits.
///
/// The default sweep takes every 61st bit pattern (a prime, so it hits every
/// binade and every low-bit pattern) plus ±2048 patterns around every
/// threshold and special value; with `TINYNN_EXHAUSTIVE=1` the sweep covers
/// all 2³² patterns (about three minutes per function in a release build).
@Suite struct VectorMathTests {
    static let exhaustive = ProcessInfo.processInfo.environment["TINYNN_EXHAUSTIVE"] == "1"

    struct Function: CustomStringConvertible, Sendable {
        var name: String
        var scalar: @Sendable (Float) -> Float
        var vector: @Sendable (SIMD8<Float>) -> SIMD8<Float>
        /// The inputs where the scalar function changes method.
        var thresholds: [Float]
        var description: String { name }
    }

    static let functions: [Function] = [
        Function(name: "sigmoid", scalar: { TinyMath.sigmoid($0) }, vector: { TinyMath.sigmoid($0) },
                 thresholds: [104, -104, 0x1.154246p4, -0x1.9fe36ap6, -0x1.5d589ep6]),
        Function(name: "tanh", scalar: { TinyMath.tanh($0) }, vector: { TinyMath.tanh($0) },
                 thresholds: [9.1, -9.1, 0.55, -0.55, 0x1p-12, -0x1p-12]),
        Function(name: "exp", scalar: { TinyMath.exp($0) }, vector: { TinyMath.exp($0) },
                 thresholds: [0x1.62e430p6, -0x1.9fe36ap6, -0x1.5d589ep6]),
    ]

    /// Bit patterns `first, first + stride, …` below `end`, eight per vector
    /// (each lane a different input, so lanes are checked independently);
    /// returns the first input whose lane differs from the scalar result.
    static func firstMismatch(_ f: Function, from first: UInt64, to end: UInt64, stride: UInt64) -> Float? {
        var lanes = SIMD8<Float>()
        var filled = 0
        func check() -> Float? {
            let v = f.vector(lanes)
            for l in 0..<filled where v[l].bitPattern != f.scalar(lanes[l]).bitPattern {
                return lanes[l]
            }
            return nil
        }
        var bits = first
        while bits < end {
            lanes[filled] = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            filled += 1
            if filled == 8 {
                if let x = check() { return x }
                filled = 0
            }
            bits += stride
        }
        return check()
    }

    @Test(arguments: functions)
    func laneByLaneBitsEqualScalarBits(_ f: Function) async {
        let stride: UInt64 = Self.exhaustive ? 1 : 61
        let end: UInt64 = 1 << 32, parts: UInt64 = 8
        // In parallel parts, for the exhaustive run's sake.
        let mismatches = await withTaskGroup(of: Float?.self) { group in
            for part in 0..<parts {
                group.addTask { Self.firstMismatch(f, from: part * (end / parts), to: (part + 1) * (end / parts), stride: stride) }
            }
            var found: [Float] = []
            for await x in group { if let x { found.append(x) } }
            return found
        }
        for x in mismatches {
            let vector = f.vector(SIMD8(repeating: x))[0].bitPattern, scalar = f.scalar(x).bitPattern
            Issue.record(Comment(rawValue: "\(f.name)(\(x)) [bits 0x\(String(x.bitPattern, radix: 16))]: "
                + "vector lane 0x\(String(vector, radix: 16)) vs scalar 0x\(String(scalar, radix: 16))"))
        }
    }

    @Test(arguments: functions)
    func thresholdsAndSpecialValues(_ f: Function) {
        var centres: [Float] = f.thresholds + [0, -0.0, .infinity, -.infinity, .nan, -.nan,
                                              .signalingNaN, .leastNonzeroMagnitude, .leastNormalMagnitude,
                                              .greatestFiniteMagnitude, 1, -1, 0.5, -0.5]
        centres += centres.map { -$0 }
        for c in centres {
            let centre = Int64(c.bitPattern)
            let from = UInt64(max(0, centre - 2048)), to = UInt64(min(Int64(1) << 32, centre + 2048))
            if let x = Self.firstMismatch(f, from: from, to: to, stride: 1) {
                Issue.record(Comment(rawValue: "\(f.name)(\(x)) [bits 0x\(String(x.bitPattern, radix: 16))] differs from the scalar"))
            }
        }
        // NaN payloads and signs: the canonical NaN, as the scalar function.
        let nans = SIMD8<Float>(Float(bitPattern: 0x7fc0_0001), Float(bitPattern: 0xffc0_0000), Float(bitPattern: 0x7f80_0001),
                                Float(bitPattern: 0xff80_0001), Float(bitPattern: 0x7fff_ffff), .nan, -.nan, .signalingNaN)
        let v = f.vector(nans)
        for l in 0..<8 { #expect(v[l].bitPattern == Float.nan.bitPattern, "\(f.name) lane \(l)") }
        // Mixed lanes: a special lane beside general ones changes nothing.
        let mixed = SIMD8<Float>(.nan, 0.3, .infinity, -2.5, -.infinity, 1e-3, 200, -0.0)
        let w = f.vector(mixed)
        for l in 0..<8 { #expect(w[l].bitPattern == f.scalar(mixed[l]).bitPattern, "\(f.name)(\(mixed[l]))") }
    }
}
#endif
