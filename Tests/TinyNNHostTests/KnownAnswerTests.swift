import Testing
import TinyNN
import TinyNNHost

/// The known answer `tinynn verify` checks before comparing any firmware
/// output: the host's outputs for three rows against a float64 forward pass.
@Suite struct KnownAnswerTests {
    @Test func hostOutputsAreTheModelOnTheseRows() throws {
        let (model, test) = try TestVectorsTests.wineModel()
        let v = try TestVectors(test, source: "wine3.csv")
        let expected = try v.expected(for: model)
        #expect(try KnownAnswer.check(model, v, expected: expected).get() == [0, 18, 35])
        // float64 and the host's float32 agree closely on every row, not only those three.
        for k in 0..<v.count {
            let host = try model.predict(Array(v.data.sample(k))), reference = KnownAnswer.forward(model, Array(v.data.sample(k)))
            #expect(zip(host, reference).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        }
    }

    @Test func otherRowsOrAnotherModelAreCaught() throws {
        let (model, test) = try TestVectorsTests.wineModel()
        let v = try TestVectors(test, source: "wine3.csv")
        // Expected lines of other rows (the vectors reversed) for these vectors.
        let reversed = try Dataset(features: (0..<test.count).reversed().flatMap { Array(test.sample($0)) }, labels: test.labels.reversed(),
                                   featureCount: test.featureCount, classCount: test.classCount)
        let wrong = try TestVectors(reversed, source: "reversed").expected(for: model)
        #expect(throws: KnownAnswerError.self) { try KnownAnswer.check(model, v, expected: wrong).get() }
        // The expected lines of another model.
        let (other, _) = try TestVectorsTests.wineModel(seed: 9)
        #expect(throws: KnownAnswerError.self) { try KnownAnswer.check(model, v, expected: try v.expected(for: other)).get() }
        // A row missing.
        #expect(throws: KnownAnswerError.self) { try KnownAnswer.check(model, v, expected: Array(try v.expected(for: model).dropLast())).get() }
    }
}
