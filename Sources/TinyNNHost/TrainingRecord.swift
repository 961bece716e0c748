import TinyNN

/// How a model was trained and how well it did: saved in the model file,
/// printed by `tinynn info`, and written into an exported header's comment.
public struct TrainingRecord: Sendable, Equatable {
    public var optimizer: Optimizer
    /// nil: each layer's ``Initializer/standard(for:)`` (Xavier, He for ReLU).
    public var initializer: Initializer?
    /// Whether training started from another model's parameters (`train
    /// --init-from`) instead of ``initializer``'s draw (then nil).
    public var startedFromModel = false
    public var batchSize: Int
    public var epochs: Int
    public var seed: UInt64
    public var trainingSamples: Int
    /// 0 when nothing was held out: ``accuracy`` is then on the training data.
    public var testSamples: Int
    public var classCount: Int
    /// Mean cost over the training samples in the last epoch (NaN if no epoch ran).
    public var trainingLoss: Float
    /// Fraction of correctly classified samples, in [0, 1].
    public var accuracy: Float
    /// Mean cost on the held-out samples (NaN if none).
    public var testLoss: Float

    public init(optimizer: Optimizer, initializer: Initializer?, batchSize: Int, epochs: Int, seed: UInt64,
                trainingSamples: Int, testSamples: Int, classCount: Int,
                trainingLoss: Float, accuracy: Float, testLoss: Float) {
        self.optimizer = optimizer; self.initializer = initializer; self.batchSize = batchSize
        self.epochs = epochs; self.seed = seed; self.trainingSamples = trainingSamples
        self.testSamples = testSamples; self.classCount = classCount
        self.trainingLoss = trainingLoss; self.accuracy = accuracy; self.testLoss = testLoss
    }

    /// The record of a model that was never trained by `tinynn`.
    public static let untrained = TrainingRecord(
        optimizer: .sgd(learningRate: 1), initializer: nil, batchSize: 1, epochs: 0, seed: 0,
        trainingSamples: 0, testSamples: 0, classCount: 0, trainingLoss: .nan, accuracy: .nan, testLoss: .nan)

    /// One line of ASCII, spelled like the command-line flags: `sgd eta=0.5,
    /// batch 10, 30 epochs, seed 1, xavier/he init; 1438 training samples,
    /// accuracy 96.94% on 359 held out`.
    public var summary: String {
        if epochs == 0 && trainingSamples == 0 { return "not by tinynn (no training record; an imported model?)" }
        var s = "\(optimizer.kind.name) eta=\(optimizer.learningRate)"
        switch optimizer.kind {
        case .sgd: break
        case .momentum: s += " momentum=\(optimizer.beta1)"
        case .adam: s += " beta1=\(optimizer.beta1) beta2=\(optimizer.beta2) epsilon=\(optimizer.epsilon)"
        }
        if optimizer.weightDecay != 0 { s += " weight-decay=\(optimizer.weightDecay)" }
        s += ", batch \(batchSize), \(epochs) epoch\(epochs == 1 ? "" : "s"), seed \(seed)"
        s += startedFromModel ? ", started from a model's parameters" : ", \(initializer.map(\.name) ?? "xavier/he") init"
        s += "; \(trainingSamples) training samples"
        if accuracy.isFinite {
            let percent = formatFixed(Double(accuracy) * 100, digits: 2)
            s += testSamples > 0 ? ", accuracy \(percent)% on \(testSamples) held out"
                                 : ", accuracy \(percent)% on the training data"
        }
        return s
    }
}
