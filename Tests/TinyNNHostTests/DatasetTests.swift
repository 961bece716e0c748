import Testing
import TinyNNHost

/// Dataset's checks: the one-pass finite test finds every NaN and infinity
/// (and nothing else), wherever it is, and names the sample and feature.
@Suite struct DatasetTests {
    @Test(arguments: [Float.nan, -Float.nan, .infinity, -.infinity, .signalingNaN])
    func nonFiniteFeatureIsNamed(_ bad: Float) {
        for k in [0, 7, 33, 39] {
            var f = [Float](repeating: 0.5, count: 40)
            f[k] = bad
            #expect(throws: NetworkError.nonFinite("d: sample \(k / 4 + 1), feature \(k % 4 + 1) is \(bad)")) {
                try Dataset(features: f, labels: [Int](repeating: 0, count: 10), featureCount: 4, classCount: 2, name: "d")
            }
        }
    }

    @Test func extremeFiniteValuesPass() throws {
        let f: [Float] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0]
        let d = try Dataset(features: f, labels: [1], featureCount: 4, classCount: 2)
        #expect(d.features == f)
    }
}
