import Testing
import TinyNN
import TinyNNHost

/// The run-time face: shape checks, bad input, and determinism.
@Suite struct NetworkTests {
    @Test func rejectsBadShapes() {
        #expect(throws: NetworkError.self) { try Network(widths: [4], activations: [], loss: .quadratic) }
        #expect(throws: NetworkError.self) { try Network(widths: [4, 0, 2], activations: [.relu, .sigmoid], loss: .quadratic) }
        #expect(throws: NetworkError.self) { try Network(widths: [4, 3, 2], activations: [.relu], loss: .quadratic) }
        #expect(throws: NetworkError.self) { try Network(widths: [4, 3], activations: [.sigmoid], loss: .crossEntropy) }
        #expect(throws: NetworkError.self) { try Network(widths: [4, 3, 2], activations: [.softmax, .softmax], loss: .crossEntropy) }
        #expect(throws: NetworkError.self) {
            try Network(widths: Array(repeating: 2, count: 10), activations: Array(repeating: .relu, count: 9), loss: .quadratic)
        }
    }

    @Test func predictRejectsWrongSizeAndNaN() throws {
        let net = try Network(widths: [3, 2], activations: [.sigmoid], loss: .quadratic)
        net.initialize(seed: 1)
        #expect(throws: NetworkError.badShape("input has 2 features, the network takes 3")) { try net.predict([1, 2]) }
        #expect(throws: NetworkError.self) { try net.predict([1, .nan, 2]) }
        #expect(throws: NetworkError.self) { try net.predict([1, .infinity, 2]) }
        let out = try net.predict([1, 2, 3])
        #expect(out.count == 2 && out.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func datasetRejectsEmptyNaNAndBadLabels() {
        #expect(throws: NetworkError.self) { try Dataset(features: [], labels: [], featureCount: 2, classCount: 2) }
        #expect(throws: NetworkError.self) { try Dataset(features: [1, 2, 3], labels: [0, 1], featureCount: 2, classCount: 2) }
        #expect(throws: NetworkError.self) { try Dataset(features: [1, .nan], labels: [0], featureCount: 2, classCount: 2) }
        #expect(throws: NetworkError.self) { try Dataset(features: [1, 2], labels: [2], featureCount: 2, classCount: 2) }
    }

    @Test func trainerRejectsMismatchedDataAndSettings() throws {
        let net = try Network(widths: [3, 2], activations: [.sigmoid], loss: .quadratic)
        let data = try Dataset(features: [1, 2, 3, 4], labels: [0, 1], featureCount: 2, classCount: 2)
        let trainer = Trainer(optimizer: .sgd(learningRate: 1), batchSize: 1, epochs: 1, seed: 1)
        #expect(throws: NetworkError.self) { try trainer.train(net, on: data) }
        let fits = try Network(widths: [2, 2], activations: [.sigmoid], loss: .quadratic)
        var bad = trainer; bad.batchSize = 0
        #expect(throws: NetworkError.self) { try bad.train(fits, on: data) }
        bad = trainer; bad.optimizer.learningRate = .nan
        #expect(throws: NetworkError.self) { try bad.train(fits, on: data) }
    }

    /// A learning rate far too large drives the weights to infinity: training
    /// must stop with an error, not hand back a NaN model.
    @Test func divergenceIsAnErrorNotANaNModel() throws {
        let net = try Network(widths: [2, 4, 1], activations: [.relu, .identity], loss: .quadratic)
        net.initialize(seed: 3)
        let data = try Dataset(features: [1, 2, 3, 4, 5, 6, 7, 8], labels: [0, 1, 1, 0], featureCount: 2, classCount: 2)
        let trainer = Trainer(optimizer: .sgd(learningRate: 1e6), batchSize: 2, epochs: 50, seed: 1)
        #expect(throws: NetworkError.self) { try trainer.train(net, on: data) }
    }

    /// Same seed, same data → the same weights, bit for bit; another seed → others.
    @Test(arguments: [Optimizer.sgd(learningRate: 0.5), .momentum(learningRate: 0.1), .adam(learningRate: 0.01, weightDecay: 1e-3)])
    func trainingIsDeterministic(optimizer: Optimizer) throws {
        func run(seed: UInt64) throws -> [UInt32] {
            var r = Random(seed: 99)
            let features = (0..<(200 * 9)).map { _ in r.uniform() }
            let labels = (0..<200).map { i in features[i * 9] + features[i * 9 + 1] > 1 ? 1 : 0 }
            let data = try Dataset(features: features, labels: labels, featureCount: 9, classCount: 2)
            let net = try Network(widths: [9, 13, 2], activations: [.tanh, .softmax], loss: .crossEntropy)
            net.initialize(seed: seed)
            try Trainer(optimizer: optimizer, batchSize: 7, epochs: 3, seed: seed).train(net, on: data)
            return net.flatParameters.map(\.bitPattern)
        }
        let a = try run(seed: 5), b = try run(seed: 5), c = try run(seed: 6)
        #expect(a == b)
        #expect(a != c)
    }
}
