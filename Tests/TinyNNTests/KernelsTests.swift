import Testing
import TinyNN

/// The fast kernels against a scalar oracle that spells out the canonical
/// order (bit-equal), and against a Double computation (close).
@Suite struct KernelsTests {
    /// Scalar dot product in the canonical order of `Kernels.dot`.
    static func oracleDot(_ x: [Float], _ y: [Float]) -> Float {
        var s = [Float](repeating: 0, count: 8)
        let blockEnd = x.count / 8 * 8
        for i in 0..<blockEnd { s[i % 8] = s[i % 8].addingProduct(x[i], y[i]) }
        var t = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
        for i in blockEnd..<x.count { t = t.addingProduct(x[i], y[i]) }
        return t
    }

    static func randomFloats(_ n: Int, _ r: inout Random) -> [Float] {
        (0..<n).map { _ in 2 * r.uniform() - 1 }
    }

    /// Widths around multiples of 8 and 4, to hit every tail path.
    static let shapes: [(inCount: Int, outCount: Int)] = [(1, 1), (3, 5), (8, 4), (9, 7), (16, 3), (23, 10), (64, 32), (784, 30)]

    @Test(arguments: shapes)
    func forwardMatchesOracleBitForBit(shape: (inCount: Int, outCount: Int)) {
        var r = Random(seed: 7)
        let (n, m) = shape
        let w = Self.randomFloats(n * m, &r), b = Self.randomFloats(m, &r), a = Self.randomFloats(n, &r)
        // Every tiling of the kernel, the one this target calls and the
        // portable ones the boards call (two rows: Cortex-M0, RISC-V; four rows:
        // the host), against the same oracle.
        var z = [Float](repeating: .nan, count: m)
        var z2 = [Float](repeating: .nan, count: m), z4 = [Float](repeating: .nan, count: m)
        Kernels.denseForward(w: w, b: b, a: a, z: &z, inCount: n, outCount: m)
        Kernels.denseForwardRows2(w: w, b: b, a: a, z: &z2, inCount: n, outCount: m)
        Kernels.denseForwardRows4(w: w, b: b, a: a, z: &z4, inCount: n, outCount: m)
        for j in 0..<m {
            let expected = Self.oracleDot(Array(w[(j * n)..<((j + 1) * n)]), a) + b[j]
            #expect(z[j].bitPattern == expected.bitPattern, "row \(j): \(z[j]) vs \(expected)")
            #expect(z2[j].bitPattern == expected.bitPattern, "two-row tile, row \(j): \(z2[j]) vs \(expected)")
            #expect(z4[j].bitPattern == expected.bitPattern, "four-row tile, row \(j): \(z4[j]) vs \(expected)")
            // Against Double: n terms of magnitude ≤ 1, each rounding ≤ 2⁻²⁴ relative → ≤ n·2⁻²³.
            var d = Double(b[j])
            for i in 0..<n { d += Double(w[j * n + i]) * Double(a[i]) }
            #expect(abs(Double(z[j]) - d) <= Double(n + 1) * 0x1p-23)
        }
    }

    @Test(arguments: shapes)
    func transposedProductMatchesOracle(shape: (inCount: Int, outCount: Int)) {
        var r = Random(seed: 8)
        let (n, m) = shape
        let w = Self.randomFloats(n * m, &r), delta = Self.randomFloats(m, &r)
        var e = [Float](repeating: .nan, count: n)
        Kernels.transposedProduct(w: w, delta: delta, e: &e, inCount: n, outCount: m)
        for i in 0..<n {
            var s: Float = 0
            for j in 0..<m { s = s.addingProduct(w[j * n + i], delta[j]) }
            #expect(e[i].bitPattern == s.bitPattern, "column \(i)")
        }
    }

    @Test(arguments: shapes)
    func gradientAccumulationMatchesOracle(shape: (inCount: Int, outCount: Int)) {
        var r = Random(seed: 9)
        let (n, m) = shape
        var gw = Self.randomFloats(n * m, &r), gb = Self.randomFloats(m, &r)
        let gw0 = gw, gb0 = gb
        let delta = Self.randomFloats(m, &r), a = Self.randomFloats(n, &r)
        var gwRows = gw, gbRows = gb
        Kernels.accumulateGradients(delta: delta, a: a, gw: &gw, gb: &gb, inCount: n, outCount: m)
        Kernels.accumulateGradientsRows(delta: delta, a: a, gw: &gwRows, gb: &gbRows, inCount: n, outCount: m)
        for j in 0..<m {
            #expect(gb[j].bitPattern == (gb0[j] + delta[j]).bitPattern)
            #expect(gbRows[j].bitPattern == gb[j].bitPattern)
            for i in 0..<n {
                #expect(gw[j * n + i].bitPattern == gw0[j * n + i].addingProduct(delta[j], a[i]).bitPattern)
                #expect(gwRows[j * n + i].bitPattern == gw[j * n + i].bitPattern)
            }
        }
    }

    // MARK: - Batched kernels against the single-sample kernels, sample by sample

    struct BatchShape: CustomStringConvertible, Sendable {
        var inCount: Int, outCount: Int, batchCount: Int
        var description: String { "[\(inCount)→\(outCount)]×\(batchCount)" }
    }

    /// Every tail path: rows mod 4, columns mod 16 and mod 8, samples mod 2 and mod 4.
    static let batchShapes: [BatchShape] = [
        (1, 1, 1), (3, 5, 2), (8, 4, 3), (9, 7, 4), (16, 3, 5), (23, 10, 10), (24, 9, 7), (40, 6, 1),
        (64, 32, 10), (100, 10, 10), (784, 30, 10), (17, 13, 6),
    ].map { BatchShape(inCount: $0.0, outCount: $0.1, batchCount: $0.2) }

    @Test(arguments: batchShapes)
    func batchedForwardMatchesForwardPerSample(shape: BatchShape) {
        var r = Random(seed: 17)
        let (n, m, bc) = (shape.inCount, shape.outCount, shape.batchCount)
        let w = Self.randomFloats(n * m, &r), b = Self.randomFloats(m, &r), a = Self.randomFloats(bc * n, &r)
        var z = [Float](repeating: .nan, count: bc * m)
        Kernels.denseForwardBatch(w: w, b: b, a: a, z: &z, inCount: n, outCount: m, batchCount: bc)
        for s in 0..<bc {
            var one = [Float](repeating: .nan, count: m)
            Kernels.denseForward(w: w, b: b, a: Array(a[(s * n)..<((s + 1) * n)]), z: &one, inCount: n, outCount: m)
            for j in 0..<m {
                let expected = Self.oracleDot(Array(w[(j * n)..<((j + 1) * n)]), Array(a[(s * n)..<((s + 1) * n)])) + b[j]
                #expect(z[s * m + j].bitPattern == one[j].bitPattern, "sample \(s) row \(j)")
                #expect(z[s * m + j].bitPattern == expected.bitPattern, "sample \(s) row \(j) vs oracle")
            }
        }
    }

    @Test(arguments: batchShapes)
    func batchedTransposedProductMatchesPerSample(shape: BatchShape) {
        var r = Random(seed: 18)
        let (n, m, bc) = (shape.inCount, shape.outCount, shape.batchCount)
        let w = Self.randomFloats(n * m, &r), delta = Self.randomFloats(bc * m, &r)
        var e = [Float](repeating: .nan, count: bc * n)
        Kernels.transposedProductBatch(w: w, delta: delta, e: &e, inCount: n, outCount: m, batchCount: bc)
        for s in 0..<bc {
            for i in 0..<n {
                var t: Float = 0
                for j in 0..<m { t = t.addingProduct(w[j * n + i], delta[s * m + j]) }
                #expect(e[s * n + i].bitPattern == t.bitPattern, "sample \(s) column \(i)")
            }
        }
    }

    @Test(arguments: batchShapes)
    func batchedGradientSumsMatchAccumulationPerSample(shape: BatchShape) {
        var r = Random(seed: 19)
        let (n, m, bc) = (shape.inCount, shape.outCount, shape.batchCount)
        // Start from non-zero sums, and include exact zeros and −0 among δ so
        // that the sign of zero sums is exercised too.
        let gw0 = Self.randomFloats(n * m, &r), gb0 = Self.randomFloats(m, &r)
        var delta = Self.randomFloats(bc * m, &r)
        let a = Self.randomFloats(bc * n, &r)
        for k in stride(from: 0, to: delta.count, by: 5) { delta[k] = k % 2 == 0 ? 0 : -0.0 }
        var gw = gw0, gb = gb0
        Kernels.accumulateGradientsBatch(delta: delta, a: a, gw: &gw, gb: &gb, inCount: n, outCount: m, batchCount: bc)
        var ew = gw0, eb = gb0
        for s in 0..<bc {
            Kernels.accumulateGradients(delta: Array(delta[(s * m)..<((s + 1) * m)]), a: Array(a[(s * n)..<((s + 1) * n)]),
                                        gw: &ew, gb: &eb, inCount: n, outCount: m)
        }
        #expect(gw.map(\.bitPattern) == ew.map(\.bitPattern))
        #expect(gb.map(\.bitPattern) == eb.map(\.bitPattern))
    }

    /// The vector-friendly square root is IEEE `sqrt` for every input whose
    /// root is not NaN, and NaN where the root is NaN.
    @Test func squareRootIsIEEE() {
        var r = Random(seed: 20)
        var xs: [Float] = [0, -0.0, 1, 2, 4, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                           .infinity, -1, -.infinity, -.leastNonzeroMagnitude, .nan, 0x1p-149, 0x1.fffffep127]
        for _ in 0..<2000 { xs.append(Float(bitPattern: r.next() & 0x7fff_ffff)) }
        for x in xs {
            let expected = x.squareRoot(), scalar = Kernels.squareRoot(x)
            let vector = Kernels.squareRoot(SIMD8<Float>(repeating: x))
            if expected.isNaN {
                #expect(scalar.isNaN && (0..<8).allSatisfy { vector[$0].isNaN }, "√\(x)")
            } else {
                #expect(scalar.bitPattern == expected.bitPattern, "√\(x)")
                #expect((0..<8).allSatisfy { vector[$0].bitPattern == expected.bitPattern }, "√\(x) (vector)")
            }
        }
    }

    @Test func randomIsSeededAndUniformLooksUniform() {
        var r1 = Random(seed: 42), r2 = Random(seed: 42), r3 = Random(seed: 43)
        let a = (0..<1000).map { _ in r1.next() }, b = (0..<1000).map { _ in r2.next() }
        let c = (0..<1000).map { _ in r3.next() }
        #expect(a == b)
        #expect(a != c)
        // Mean and variance of 100 000 normals: standard errors 0.003 and 0.0045, so 0.02 is > 4σ.
        var g = Random(seed: 1)
        let xs = (0..<100_000).map { _ in Double(g.gaussian()) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.02)
        // below(n) hits every value of a small range and never leaves it.
        var seen = Set<UInt32>()
        for _ in 0..<1000 { let v = g.below(7); #expect(v < 7); seen.insert(v) }
        #expect(seen.count == 7)
    }
}
