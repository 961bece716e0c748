import TinyNN

/// Mini-batch training on the host, through the same engine as the chip.
///
/// Each epoch shuffles the sample order with the seeded ``Random`` (so the
/// same seed and data give the same weights, bit for bit), then trains on
/// consecutive batches of `batchSize` (the last may be smaller).
public struct Trainer {
    public var optimizer: Optimizer
    public var batchSize: Int
    public var epochs: Int
    /// Seed of the shuffling stream.
    public var seed: UInt64
    /// When to evaluate and stop; `epochs` is the maximum.
    public var stopping: EarlyStopping

    public init(optimizer: Optimizer, batchSize: Int, epochs: Int, seed: UInt64, stopping: EarlyStopping = .off) {
        self.optimizer = optimizer; self.batchSize = batchSize; self.epochs = epochs; self.seed = seed
        self.stopping = stopping
    }

    /// What one epoch achieved.
    public struct EpochReport: Sendable {
        public var epoch: Int
        /// Mean cost over the training samples, as seen during the epoch.
        public var trainCost: Float
        /// nil when the epoch was not evaluated (``EarlyStopping/evalEvery``).
        public var testAccuracy: Double?
        public var testCost: Float?
        public var seconds: Double
        public var samplesPerSecond: Double
    }

    /// Trains `network` on `data`, evaluating on `test` as ``stopping`` says.
    /// - Parameter report: called after each epoch.
    /// - Throws: if the data does not fit the network or the settings are out of range.
    @discardableResult
    public func train(_ network: Network, on data: Dataset, test: Dataset? = nil,
                      report: (EpochReport) -> Void = { _ in }) throws(NetworkError) -> [EpochReport] {
        try run(network, on: data, test: test, report: report).reports
    }

    /// ``run(_:on:rows:test:fromStart:report:)`` on every row of `data`.
    public func run(_ network: Network, on data: Dataset, test: Dataset? = nil, fromStart: Bool = false,
                    report: (EpochReport) -> Void = { _ in })
        throws(NetworkError) -> (reports: [EpochReport], stopping: StoppingRecord) {
        try run(network, on: data, rows: nil, test: test, fromStart: fromStart, report: report)
    }

    /// ``train(_:on:test:report:)``, also saying how the run ended. Without
    /// `test` nothing is evaluated and early stopping is off.
    /// - Parameters:
    ///   - rows: the rows of `data` to train on (nil: all);
    ///     the same bits as training on `data.subset(rows)`, whose sample `k`
    ///     is row `rows[k]` (each epoch's shuffle permutes positions), without
    ///     the copy.
    ///   - fromStart: evaluate the parameters training starts from as
    ///     epoch 0 (fine-tuning a model: if no epoch beats them, early stopping
    ///     keeps them).
    public func run(_ network: Network, on data: Dataset, rows: [Int]?, test: Dataset? = nil, fromStart: Bool = false,
                    report: (EpochReport) -> Void = { _ in })
        throws(NetworkError) -> (reports: [EpochReport], stopping: StoppingRecord) {
        let count = rows?.count ?? data.count
        if let rows {
            guard count >= 1 else { throw .emptyDataSet("training data: no rows") }
            guard rows.allSatisfy({ $0 >= 0 && $0 < data.count }) else {
                throw .badShape("training rows must lie in 0..<\(data.count)")
            }
        }
        try data.check(against: network, name: "training data")
        if let test { try test.check(against: network, name: "test data") }
        guard batchSize >= 1 else { throw .badShape("batch size must be at least 1, got \(batchSize)") }
        guard epochs >= 0 else { throw .badShape("epochs must be at least 0, got \(epochs)") }
        guard stopping.evalEvery >= 1, stopping.patience >= 0 else {
            throw .badShape("eval-every must be at least 1 and patience at least 0")
        }
        guard optimizer.learningRate > 0, optimizer.learningRate.isFinite else {
            throw .badShape("learning rate must be a positive number, got \(optimizer.learningRate)")
        }
        network.prepare(for: optimizer)
        var random = Random(seed: seed)
        var order = rows.map { $0.map { Int32($0) } } ?? (0..<Int32(data.count)).map { $0 }
        let labels = data.labels.map { Int32($0) }
        var xs = [Float](repeating: 0, count: batchSize * network.inputCount)
        var ys = [Float](repeating: 0, count: batchSize * network.outputCount)
        // The batched engine: the same bits as the per-sample engine the chip runs.
        var scratch = [Float](repeating: 0, count: network.withView { $0.batchScratchCount(batchSize: batchSize) })
        var clock = Optimizer.Clock()
        var reports: [EpochReport] = []
        var state = StoppingState(test == nil ? .off : stopping)
        var stopped = false
        if fromStart, let test, state.rule.patience > 0 {
            _ = state.observe(epoch: 0, cost: evaluate(network, on: test).cost, network: network)
        }
        for epoch in 1...max(epochs, 1) where epochs > 0 && !stopped {
            let start = ContinuousClock.now
            let total = network.withView { net in
                net.trainEpoch(inputs: data.features, labels: labels, count: count, order: &order,
                               batchSize: batchSize, batchInputs: &xs, batchTargets: &ys,
                               optimizer: optimizer, clock: &clock, random: &random, scratch: &scratch)
            }
            let seconds = (ContinuousClock.now - start).seconds
            var r = EpochReport(epoch: epoch, trainCost: total / Float(count), testAccuracy: nil,
                                testCost: nil, seconds: seconds, samplesPerSecond: Double(count) / seconds)
            guard r.trainCost.isFinite else {
                throw .nonFinite("training diverged in epoch \(epoch) (cost is \(r.trainCost));"
                                 + " try a smaller learning rate")
            }
            if let test, stopping.evaluates(epoch: epoch, of: epochs) {
                let e = evaluate(network, on: test)
                r.testAccuracy = e.accuracy; r.testCost = e.cost
                stopped = state.observe(epoch: epoch, cost: e.cost, network: network)
            }
            reports.append(r)
            report(r)
        }
        state.restore(into: network)
        let kept = state.rule.patience > 0 ? state.bestEpoch : reports.count
        let keptLoss = state.rule.patience > 0 ? state.bestCost : reports.last?.testCost ?? .nan
        let record = StoppingRecord(rule: stopping, maxEpochs: epochs, epochsRun: reports.count, keptEpoch: kept,
                                    keptLoss: test == nil ? .nan : keptLoss, reason: stopped ? .patience : .maxEpochs)
        return (reports, record)
    }
}

/// Accuracy, mean cost and confusion matrix of a network on a data set.
public struct Evaluation: Sendable {
    public var accuracy: Double
    public var cost: Float
    /// `confusion[actual][predicted]`.
    public var confusion: [[Int]]
}

/// Evaluates `network` on every sample of `data` (which must fit it).
///
/// The forward passes go a chunk of samples at a time (``BatchForward``), each
/// sample's output the bits of ``NetworkView/forward(_:)``; the costs are summed
/// in sample order. The network's own `z`, `a` are left as a forward pass of
/// the last sample leaves them.
public func evaluate(_ network: Network, on data: Dataset) -> Evaluation {
    let k = network.outputCount
    let classes = max(data.classCount, k == 1 ? 2 : k)
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    var y = [Float](repeating: 0, count: k)
    var total: Float = 0
    var correct = 0
    network.withView { net in
        var batch = BatchForward(net)
        data.features.withUnsafeBufferPointer { x in
            var first = 0
            while first < data.count {
                let m = min(BatchForward.chunk, data.count - first)
                batch.forward(net, x.baseAddress!, first: first, count: m) { outputs in
                    for s in 0..<m {
                        let i = first + s, out = outputs + s * k
                        y.withUnsafeMutableBufferPointer { net.writeTarget(label: Int32(data.labels[i]), into: $0.baseAddress!) }
                        total += y.withUnsafeBufferPointer { net.loss.cost(a: out, y: $0.baseAddress!, count: k) }
                        let predicted = Kernels.predictedClass(out, count: k)
                        confusion[data.labels[i]][predicted] += 1
                        if predicted == data.labels[i] { correct += 1 }
                    }
                }
                first += m
            }
            if data.count > 0 { net.forward(x.baseAddress! + (data.count - 1) * data.featureCount) }
        }
    }
    return Evaluation(accuracy: Double(correct) / Double(data.count), cost: total / Float(data.count),
                      confusion: confusion)
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
