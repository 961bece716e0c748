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
        var z = [Float](repeating: .nan, count: m)
        Kernels.denseForward(w: w, b: b, a: a, z: &z, inCount: n, outCount: m)
        for j in 0..<m {
            let expected = Self.oracleDot(Array(w[(j * n)..<((j + 1) * n)]), a) + b[j]
            #expect(z[j].bitPattern == expected.bitPattern, "row \(j): \(z[j]) vs \(expected)")
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
        Kernels.accumulateGradients(delta: delta, a: a, gw: &gw, gb: &gb, inCount: n, outCount: m)
        for j in 0..<m {
            #expect(gb[j].bitPattern == (gb0[j] + delta[j]).bitPattern)
            for i in 0..<n {
                #expect(gw[j * n + i].bitPattern == gw0[j * n + i].addingProduct(delta[j], a[i]).bitPattern)
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
