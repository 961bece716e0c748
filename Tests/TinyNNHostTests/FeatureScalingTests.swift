import Testing
import TinyNN
import TinyNNHost

/// Input scaling: the fits, and the core kernel's exact arithmetic.
struct FeatureScalingTests {
    static let data = try! Dataset(features: [0, 5, -2, 10, 5, 2, 4, 5, 6], labels: [0, 1, 0],
                                   featureCount: 3, classCount: 2)

    @Test func minMaxMapsTheTrainingRangeToZeroOne() {
        let s = FeatureScaling.fit(.minMax, to: Self.data)
        #expect(s.offset == [0, 5, -2])
        #expect(s.scale == [0.1, 1, 0.125], "1/(max − min); a constant feature gets scale 1")
        let scaled = s.apply(to: Self.data).features
        #expect(scaled == [0, 0, 0, 1, 0, 0.5, 0.4, 0, 1], "0.4 is 4·Float(0.1), exactly Float(0.4)")
    }

    @Test func standardGivesMeanZeroUnitDeviation() {
        let s = FeatureScaling.fit(.standard, to: Self.data)
        let f = s.apply(to: Self.data).features
        for i in 0..<3 where i != 1 {
            let column = [f[i], f[3 + i], f[6 + i]]
            let mean = column.reduce(0, +) / 3
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
            // Float rounding of μ and 1/σ: a few ulps.
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
        #expect([f[1], f[4], f[7]] == [0, 0, 0], "constant feature: offset μ, scale 1")
    }

    /// The kernel is `(x − offset)·scale` with two roundings, not a fused
    /// multiply-add: checked on values where the two differ.
    @Test func kernelRoundsTwice() {
        let x: [Float] = [1 + 0x1p-23, 3, -7.25]
        let offset: [Float] = [0x1p-24, 0.1, 1e-3]
        let scale: [Float] = [1 + 0x1p-23, 1.0 / 3, 16]
        var out = [Float](repeating: 0, count: 3)
        InputScaling.apply(x, offset: offset, scale: scale, into: &out, count: 3)
        for i in 0..<3 {
            let d = x[i] - offset[i]
            #expect(out[i].bitPattern == (d * scale[i]).bitPattern)
        }
        #expect(FeatureScaling(kind: .minMax, offset: offset, scale: scale).apply(x) == out)
    }

    @Test func splitIsSeededAndKeepsFileOrder() throws {
        let d = try Dataset(features: (0..<20).map(Float.init), labels: Array(repeating: 0, count: 20),
                            featureCount: 1, classCount: 1)
        let (train, test) = d.split(holdingOut: 0.25, seed: 9)
        let (train2, test2) = d.split(holdingOut: 0.25, seed: 9)
        #expect(train.count == 15 && test?.count == 5)
        #expect(train.features == train2.features && test?.features == test2?.features)
        #expect(train.features == train.features.sorted() && test!.features == test!.features.sorted())
        #expect(Set(train.features + test!.features).count == 20, "every sample in exactly one part")
        #expect(d.split(holdingOut: 0.25, seed: 10).test!.features != test!.features, "another seed, another split")
        #expect(d.split(holdingOut: 0, seed: 9).test == nil)
    }
}
