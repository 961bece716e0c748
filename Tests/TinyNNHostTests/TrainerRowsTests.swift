import Testing
import TinyNN
import TinyNNHost

/// Training on rows of a data set in place (`Trainer.run(_:on:rows:…)`, what
/// `tinynn train` does on unscaled data) gives the bits of training on the
/// copied subset, and `splitRows` names the rows `split` copies.
struct TrainerRowsTests {
    static func digits() throws -> Dataset {
        let all = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 300).dataset(classCount: 10)
        let scaling = FeatureScaling.fit(.minMax, to: all)
        return scaling.apply(to: all)
    }

    static func train(_ data: Dataset, rows: [Int]?, test: Dataset, epochs: Int = 3)
        throws -> (net: Network, reports: [Trainer.EpochReport]) {
        let net = try Network(widths: [64, 12, 10], activations: [.sigmoid, .softmax], loss: .crossEntropy)
        net.initialize(seed: 4)
        let trainer = Trainer(optimizer: .sgd(learningRate: 0.5), batchSize: 10, epochs: epochs, seed: 8)
        let (reports, _) = try trainer.run(net, on: data, rows: rows, test: test)
        return (net, reports)
    }

    @Test func splitRowsAreTheRowsSplitCopies() throws {
        let all = try Self.digits()
        let (train, test) = all.split(holdingOut: 0.2, seed: 11)
        let rows = all.splitRows(holdingOut: 0.2, seed: 11)
        #expect(rows.train.count == 240 && rows.test.count == 60)
        #expect(Set(rows.train + rows.test) == Set(0..<300), "the two parts cover every row once")
        #expect(all.subset(rows.train).features == train.features && all.subset(rows.test).features == test!.features)
        #expect(all.subset(rows.train).labels == train.labels)
        #expect(all.splitRows(holdingOut: 0, seed: 11) == (Array(0..<300), []))
    }

    @Test func rowsInPlaceGiveTheSubsetsBits() throws {
        let all = try Self.digits()
        let rows = all.splitRows(holdingOut: 0.2, seed: 11)
        let test = all.subset(rows.test)
        let (inPlace, r1) = try Self.train(all, rows: rows.train, test: test)
        let (copied, r2) = try Self.train(all.subset(rows.train), rows: nil, test: test)
        #expect(inPlace.flatParameters.map(\.bitPattern) == copied.flatParameters.map(\.bitPattern))
        #expect(r1.map(\.trainCost.bitPattern) == r2.map(\.trainCost.bitPattern), "the cost is over the 240 rows")
        // It compared trained parameters: the whole data set trains to other bits.
        let (everything, _) = try Self.train(all, rows: nil, test: test)
        #expect(inPlace.flatParameters.map(\.bitPattern) != everything.flatParameters.map(\.bitPattern))
    }

    @Test func rowsOutsideTheDataAreRefused() throws {
        let all = try Self.digits()
        #expect(throws: NetworkError.badShape("training rows must lie in 0..<300")) {
            try Self.train(all, rows: [0, 300], test: all, epochs: 1)
        }
        #expect(throws: NetworkError.emptyDataSet("training data: no rows")) {
            try Self.train(all, rows: [], test: all, epochs: 1)
        }
    }
}
