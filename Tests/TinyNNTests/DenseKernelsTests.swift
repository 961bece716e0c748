import Testing
@_spi(Testing) import TinyNN

/// Every variant of the dense layer's kernels, reference and optimised, in
/// one file (TensorFlow Lite Micro's habit): each runs on the same shapes
/// and data and must give the bits of a plain reference loop that spells out
/// the documented summation order (``Kernels`` and each kernel's doc comment).
///
/// Variants, by step:
/// - forward `z = W·a + b`: ``Kernels/denseForward`` (what this target's
///   capability switch selects), ``Kernels/denseForwardRows4`` (the SIMD
///   four-row tile of the hosts), ``Kernels/denseForwardRows2`` (the portable
///   two-row tile the 32-bit boards without an assembly kernel run),
///   ``Kernels/denseForwardBatch`` with and without its input copy;
/// - BP2's product `e = Wᵀδ`: ``Kernels/transposedProduct``,
///   ``Kernels/transposedProductBatch``;
/// - BP3/BP4 `gb += δ`, `gw += δ·aᵀ`: ``Kernels/accumulateGradients``
///   (selected), ``Kernels/accumulateGradientsRows``,
///   ``Kernels/accumulateGradientsBatch`` (4- and 1-row tiles from existing
///   sums), ``Kernels/weightGradientSums`` (the fused step's schedule: 5-row
///   tiles from clear sums).
///
/// The fused gradient-and-update step against the optimizer, and the batched
/// activations, are in `BatchKernelsTests`; the Cortex-M assembly kernels are
/// checked against `denseForwardRows2` and `accumulateGradientsRows` on the
/// boards (the firmware bench app).
@Suite struct DenseKernelsTests {
    struct Shape: CustomStringConvertible, Sendable {
        var inCount: Int, outCount: Int, batchCount: Int
        var description: String { "[\(inCount)→\(outCount)]×\(batchCount)" }
    }

    /// Odd sizes and the sizes around every tile edge: columns mod 16 and 8
    /// (the vector blocks and tails), rows mod 5, 4 and 2 (the row tiles),
    /// samples mod 5; then seeded random shapes and two real layers.
    static let shapes: [Shape] = {
        var shapes: [Shape] = []
        for n in [1, 3, 5, 7, 8, 9, 15, 16, 17, 24, 33] {
            for m in [1, 3, 5, 7, 17] {
                for bc in [1, 3, 5, 7, 17] { shapes.append(Shape(inCount: n, outCount: m, batchCount: bc)) }
            }
        }
        var r = Random(seed: 31)
        for _ in 0..<40 {
            shapes.append(Shape(inCount: 1 + Int(r.below(70)), outCount: 1 + Int(r.below(23)), batchCount: 1 + Int(r.below(12))))
        }
        shapes.append(Shape(inCount: 784, outCount: 30, batchCount: 10))
        shapes.append(Shape(inCount: 100, outCount: 12, batchCount: 10))
        return shapes
    }()

    /// Random data for one shape: w `[Out][In]`, b `[Out]`, a `[B][In]`,
    /// δ `[B][Out]`, existing sums gw `[Out][In]`, gb `[Out]`. Some δ are ±0,
    /// so that the sign of zero sums is exercised too.
    struct Data {
        var w: [Float], b: [Float], a: [Float], delta: [Float], gw: [Float], gb: [Float]
        init(_ s: Shape, seed: UInt64) {
            var r = Random(seed: seed)
            func floats(_ n: Int) -> [Float] { (0..<n).map { _ in 2 * r.uniform() - 1 } }
            w = floats(s.inCount * s.outCount); b = floats(s.outCount); a = floats(s.batchCount * s.inCount)
            delta = floats(s.batchCount * s.outCount); gw = floats(s.inCount * s.outCount); gb = floats(s.outCount)
            for k in stride(from: 0, to: delta.count, by: 5) { delta[k] = k % 2 == 0 ? 0 : -0.0 }
        }
        func sample(_ x: [Float], _ s: Int, width: Int) -> [Float] { Array(x[(s * width)..<((s + 1) * width)]) }
    }

    // MARK: - The references: plain loops in the documented order

    /// ``Kernels/dot``'s canonical order: eight lane sums over the leading
    /// `8·⌊n/8⌋` terms, reduced `((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7))`, then
    /// the tail in increasing `i`, every product fused.
    static func referenceDot(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Float {
        let x = Array(x), y = Array(y)
        var s = [Float](repeating: 0, count: 8)
        let blockEnd = x.count / 8 * 8
        for i in 0..<blockEnd { s[i % 8] = s[i % 8].addingProduct(x[i], y[i]) }
        var t = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
        for i in blockEnd..<x.count { t = t.addingProduct(x[i], y[i]) }
        return t
    }

    /// `z[s][j] = dot(w[j], a[s]) + b[j]`.
    static func referenceForward(_ s: Shape, _ d: Data) -> [Float] {
        let (n, m) = (s.inCount, s.outCount)
        var z: [Float] = []
        for q in 0..<s.batchCount {
            for j in 0..<m { z.append(referenceDot(d.w[(j * n)..<((j + 1) * n)], d.a[(q * n)..<((q + 1) * n)]) + d.b[j]) }
        }
        return z
    }

    /// `e[s][i] = Σⱼ w[j][i]·δ[s][j]`, from `+0` in increasing `j`, fused.
    static func referenceTransposed(_ s: Shape, _ d: Data) -> [Float] {
        let (n, m) = (s.inCount, s.outCount)
        var e: [Float] = []
        for q in 0..<s.batchCount {
            for i in 0..<n {
                var t: Float = 0
                for j in 0..<m { t = t.addingProduct(d.w[j * n + i], d.delta[q * m + j]) }
                e.append(t)
            }
        }
        return e
    }

    /// `gw[j][i] = fma(δ[s][j], a[s][i], gw[j][i])` and `gb[j] += δ[s][j]`
    /// for `s = 0, 1, …, B−1` in turn, from the given sums.
    static func referenceGradients(_ s: Shape, _ d: Data, gw: [Float], gb: [Float]) -> (gw: [Float], gb: [Float]) {
        let (n, m) = (s.inCount, s.outCount)
        var gw = gw, gb = gb
        for q in 0..<s.batchCount {
            for j in 0..<m {
                gb[j] += d.delta[q * m + j]
                for i in 0..<n { gw[j * n + i] = gw[j * n + i].addingProduct(d.delta[q * m + j], d.a[q * n + i]) }
            }
        }
        return (gw, gb)
    }

    /// Records the first difference (bits; NaN is not expected here) and
    /// returns how many values were compared.
    @discardableResult
    static func expectSameBits(_ actual: [Float], _ expected: [Float], _ what: String, _ s: Shape) -> Int {
        #expect(actual.count == expected.count, "\(what) \(s): \(actual.count) values, expected \(expected.count)")
        if let k = (0..<min(actual.count, expected.count)).first(where: { actual[$0].bitPattern != expected[$0].bitPattern }) {
            Issue.record(Comment(rawValue: "\(what) \(s): value \(k) is \(actual[k]), the reference \(expected[k])"))
        }
        return min(actual.count, expected.count)
    }

    // MARK: - Forward

    @Test func forwardVariantsMatchTheReference() {
        var compared = 0
        for (index, s) in Self.shapes.enumerated() {
            let d = Data(s, seed: UInt64(100 + index))
            let (n, m, bc) = (s.inCount, s.outCount, s.batchCount)
            let expected = Self.referenceForward(s, d)
            // The single-sample tilings, sample by sample.
            var selected: [Float] = [], rows4: [Float] = [], rows2: [Float] = []
            for q in 0..<bc {
                let x = d.sample(d.a, q, width: n)
                var z = [Float](repeating: .nan, count: m), z4 = z, z2 = z
                Kernels.denseForward(w: d.w, b: d.b, a: x, z: &z, inCount: n, outCount: m)
                Kernels.denseForwardRows4(w: d.w, b: d.b, a: x, z: &z4, inCount: n, outCount: m)
                Kernels.denseForwardRows2(w: d.w, b: d.b, a: x, z: &z2, inCount: n, outCount: m)
                selected += z; rows4 += z4; rows2 += z2
            }
            compared += Self.expectSameBits(selected, expected, "denseForward", s)
            compared += Self.expectSameBits(rows4, expected, "denseForwardRows4", s)
            compared += Self.expectSameBits(rows2, expected, "denseForwardRows2", s)
            // The batched tile, reading the inputs, and copying them first
            // (from one float past a 32-byte boundary, as the engine does
            // for unaligned inputs).
            var batched = [Float](repeating: .nan, count: bc * m), copying = batched
            Kernels.denseForwardBatch(w: d.w, b: d.b, a: d.a, z: &batched, inCount: n, outCount: m, batchCount: bc)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * (bc * n + 1), alignment: 32)
            defer { raw.deallocate() }
            let unaligned = raw.bindMemory(to: Float.self, capacity: bc * n + 1) + 1
            unaligned.update(from: d.a, count: bc * n)
            var copy = [Float](repeating: .nan, count: bc * n)
            Kernels.denseForwardBatch(w: d.w, b: d.b, a: unaligned, z: &copying, inCount: n, outCount: m, batchCount: bc,
                                      copy: &copy)
            compared += Self.expectSameBits(batched, expected, "denseForwardBatch", s)
            compared += Self.expectSameBits(copying, expected, "denseForwardBatch (copy)", s)
            Self.expectSameBits(copy, d.a, "denseForwardBatch's copy of the inputs", s)
            // Against Double: n terms of magnitude ≤ 1, each rounding ≤ 2⁻²⁴ relative → ≤ (n+1)·2⁻²³.
            for j in 0..<m {
                var exact = Double(d.b[j])
                for i in 0..<n { exact += Double(d.w[j * n + i]) * Double(d.a[i]) }
                #expect(abs(Double(expected[j]) - exact) <= Double(n + 1) * 0x1p-23, "\(s) row \(j)")
            }
        }
        // Every shape, every sample, every row, five variants.
        let values = Self.shapes.reduce(0) { $0 + $1.batchCount * $1.outCount }
        #expect(compared == 5 * values)
    }

    /// The reference's order is the one that matters: summing each row left
    /// to right (one accumulator) gives other bits on some shapes, so a
    /// variant that summed in another order would fail the test above.
    @Test func forwardReferenceOrderIsNotLeftToRight() {
        var differing = 0
        for (index, s) in Self.shapes.enumerated() where s.inCount >= 16 {
            let d = Data(s, seed: UInt64(100 + index))
            let expected = Self.referenceForward(s, d)
            for j in 0..<s.outCount {
                var t: Float = 0
                for i in 0..<s.inCount { t = t.addingProduct(d.w[j * s.inCount + i], d.a[i]) }
                if (t + d.b[j]).bitPattern != expected[j].bitPattern { differing += 1 }
            }
        }
        #expect(differing > 0)
    }

    // MARK: - BP2

    @Test func transposedProductVariantsMatchTheReference() {
        var compared = 0
        for (index, s) in Self.shapes.enumerated() {
            let d = Data(s, seed: UInt64(200 + index))
            let (n, m, bc) = (s.inCount, s.outCount, s.batchCount)
            let expected = Self.referenceTransposed(s, d)
            var single: [Float] = []
            for q in 0..<bc {
                var e = [Float](repeating: .nan, count: n)
                Kernels.transposedProduct(w: d.w, delta: d.sample(d.delta, q, width: m), e: &e, inCount: n, outCount: m)
                single += e
            }
            var batched = [Float](repeating: .nan, count: bc * n)
            Kernels.transposedProductBatch(w: d.w, delta: d.delta, e: &batched, inCount: n, outCount: m, batchCount: bc)
            compared += Self.expectSameBits(single, expected, "transposedProduct", s)
            compared += Self.expectSameBits(batched, expected, "transposedProductBatch", s)
        }
        #expect(compared == 2 * Self.shapes.reduce(0) { $0 + $1.batchCount * $1.inCount })
    }

    // MARK: - BP3, BP4

    @Test func gradientVariantsMatchTheReference() {
        var compared = 0
        for (index, s) in Self.shapes.enumerated() {
            let d = Data(s, seed: UInt64(300 + index))
            let (n, m, bc) = (s.inCount, s.outCount, s.batchCount)
            let expected = Self.referenceGradients(s, d, gw: d.gw, gb: d.gb)
            // Sample by sample, from the existing sums.
            var gw = d.gw, gb = d.gb, gwRows = d.gw, gbRows = d.gb
            for q in 0..<bc {
                let delta = d.sample(d.delta, q, width: m), x = d.sample(d.a, q, width: n)
                Kernels.accumulateGradients(delta: delta, a: x, gw: &gw, gb: &gb, inCount: n, outCount: m)
                Kernels.accumulateGradientsRows(delta: delta, a: x, gw: &gwRows, gb: &gbRows, inCount: n, outCount: m)
            }
            compared += Self.expectSameBits(gw, expected.gw, "accumulateGradients w", s)
            compared += Self.expectSameBits(gb, expected.gb, "accumulateGradients b", s)
            compared += Self.expectSameBits(gwRows, expected.gw, "accumulateGradientsRows w", s)
            compared += Self.expectSameBits(gbRows, expected.gb, "accumulateGradientsRows b", s)
            // The whole batch at once, from the existing sums.
            var gwBatch = d.gw, gbBatch = d.gb
            Kernels.accumulateGradientsBatch(delta: d.delta, a: d.a, gw: &gwBatch, gb: &gbBatch,
                                             inCount: n, outCount: m, batchCount: bc)
            compared += Self.expectSameBits(gwBatch, expected.gw, "accumulateGradientsBatch w", s)
            compared += Self.expectSameBits(gbBatch, expected.gb, "accumulateGradientsBatch b", s)
            // From clear sums, the fused step's schedule.
            let fromZero = Self.referenceGradients(s, d, gw: [Float](repeating: 0, count: n * m),
                                                  gb: [Float](repeating: 0, count: m))
            var sums = [Float](repeating: .nan, count: n * m)
            Kernels.weightGradientSums(delta: d.delta, a: d.a, gw: &sums, inCount: n, outCount: m, batchCount: bc)
            compared += Self.expectSameBits(sums, fromZero.gw, "weightGradientSums", s)
        }
        let weights = Self.shapes.reduce(0) { $0 + $1.inCount * $1.outCount }
        let biases = Self.shapes.reduce(0) { $0 + $1.outCount }
        #expect(compared == 4 * weights + 3 * biases)
    }
}
