import Testing
import TinyNN
import TinyNNHost

/// Early stopping: it stops where the held-out loss stopped improving, keeps
/// that epoch's parameters bit for bit, counts evaluations, and is repeatable.
struct EarlyStoppingTests {
    /// 400 digits, 300 to train and 100 held out, min-max scaled.
    static func data() throws -> (train: Dataset, test: Dataset) {
        let all = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 400).dataset(classCount: 10)
        let (train, test) = all.split(holdingOut: 0.25, seed: 3)
        let scaling = FeatureScaling.fit(.minMax, to: train)
        return (scaling.apply(to: train), scaling.apply(to: test!))
    }

    static func run(epochs: Int, _ rule: EarlyStopping) throws
        -> (net: Network, reports: [Trainer.EpochReport], record: StoppingRecord) {
        let (train, test) = try data()
        let net = try Network(widths: [64, 16, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 5)
        // A large step on a small set: the held-out loss turns up within a few dozen epochs.
        let trainer = Trainer(optimizer: .adam(learningRate: 0.01), batchSize: 10, epochs: epochs, seed: 6, stopping: rule)
        let (reports, record) = try trainer.run(net, on: train, test: test)
        return (net, reports, record)
    }

    @Test func stopsAfterPatienceAndKeepsTheBestEpoch() throws {
        let (net, reports, record) = try Self.run(epochs: 200, EarlyStopping(patience: 5))
        #expect(record.reason == .patience)
        #expect(record.epochsRun == reports.count && record.epochsRun < 200)
        #expect(record.epochsRun == record.keptEpoch + 5, "5 evaluations without improvement after the best")
        let costs = reports.map { $0.testCost! }
        let best = costs.indices.min { costs[$0] < costs[$1] }!
        #expect(best + 1 == record.keptEpoch && costs[best] == record.keptLoss)
        #expect(costs[best...].dropFirst().allSatisfy { $0 >= costs[best] })
        // The kept parameters are the kept epoch's: the same run stopped there by --epochs gives the same bits.
        let (same, _, plain) = try Self.run(epochs: record.keptEpoch, .off)
        #expect(plain.reason == .maxEpochs && plain.keptEpoch == record.keptEpoch)
        #expect(net.flatParameters.map(\.bitPattern) == same.flatParameters.map(\.bitPattern))
        // … and not the last epoch's.
        let (last, _, _) = try Self.run(epochs: record.epochsRun, .off)
        #expect(net.flatParameters.map(\.bitPattern) != last.flatParameters.map(\.bitPattern))
    }

    @Test func sameSeedSameStop() throws {
        let a = try Self.run(epochs: 200, EarlyStopping(patience: 3, evalEvery: 2))
        let b = try Self.run(epochs: 200, EarlyStopping(patience: 3, evalEvery: 2))
        #expect(a.record == b.record)
        #expect(a.net.flatParameters.map(\.bitPattern) == b.net.flatParameters.map(\.bitPattern))
    }

    @Test func evaluatesEveryNthEpochAndTheLast() throws {
        let (_, reports, record) = try Self.run(epochs: 7, EarlyStopping(patience: 0, evalEvery: 3))
        #expect(reports.map { $0.testCost != nil } == [false, false, true, false, false, true, true])
        #expect(reports.map { $0.testAccuracy != nil } == [false, false, true, false, false, true, true])
        #expect(record.reason == .maxEpochs && record.keptEpoch == 7 && record.keptLoss == reports[6].testCost)
    }

    @Test func patienceCountsEvaluations() throws {
        let (_, reports, record) = try Self.run(epochs: 200, EarlyStopping(patience: 2, evalEvery: 4))
        #expect(record.reason == .patience)
        #expect(record.keptEpoch % 4 == 0 && record.epochsRun == record.keptEpoch + 2 * 4)
        #expect(reports.indices.allSatisfy { (reports[$0].testCost != nil) == (($0 + 1) % 4 == 0) })
    }

    @Test func withoutHeldOutDataItRunsEveryEpoch() throws {
        let (train, _) = try Self.data()
        let net = try Network(widths: [64, 8, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 1)
        let (reports, record) = try Trainer(optimizer: .adam(learningRate: 0.01), batchSize: 10, epochs: 4, seed: 1,
                                            stopping: EarlyStopping(patience: 1)).run(net, on: train)
        #expect(reports.count == 4 && record.reason == .maxEpochs && record.keptEpoch == 4 && record.keptLoss.isNaN)
        #expect(throws: NetworkError.self) {
            try Trainer(optimizer: .sgd(learningRate: 1), batchSize: 1, epochs: 1, seed: 1,
                        stopping: EarlyStopping(patience: 1, evalEvery: 0)).run(net, on: train)
        }
    }
}
