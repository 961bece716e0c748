import Testing
@_spi(Testing) import TinyNN

/// The kernels' helpers: the vector square root and the PRNG. (The dense
/// kernels, every variant against one reference, are in `DenseKernelsTests`.)
@Suite struct KernelsTests {
    /// The vector-friendly square root is IEEE `sqrt` for every input whose
    /// root is not NaN, and NaN where the root is NaN.
    @Test func squareRootIsIEEE() {
        var r = Random(seed: 20)
        var xs: [Float] = [0, -0.0, 1, 2, 4, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                           .infinity, -1, -.infinity, -.leastNonzeroMagnitude, .nan, 0x1p-149, 0x1.fffffep127]
        for _ in 0..<2000 { xs.append(Float(bitPattern: r.next() & 0x7fff_ffff)) }
        for x in xs {
            let expected = x.squareRoot(), scalar = Kernels.squareRoot(x)
            var vector = [Float](repeating: 0, count: 8)
            Kernels.squareRoot8([Float](repeating: x, count: 8), &vector)
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
