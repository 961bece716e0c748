// Training on the chip the way `tinynn train` trains on the host: Dense
// layers in static RAM, initialised from Random(seed) layer by layer, weights
// then biases (as Network.initialize); then `epochs` epochs of
// NetworkView.trainEpoch with Random(seed + 1) shuffling (as Trainer), SGD.
// Shared with the bench app, whose generator copies this file.
import TinyNN

/// One run's settings (the `tinynn train` flags it mirrors).
struct TrainingRun {
    var loss: Loss
    /// nil: each layer's standard initializer (`--init` not given).
    var initializer: Initializer?
    var learningRate: Float
    var batchSize: Int
    var epochs: Int
    var seed: UInt64
    /// Samples; `inputs` is `[count][In]`, `labels` is `[count]`.
    var count: Int
    var inputs: UnsafePointer<Float>
    var labels: UnsafePointer<Int32>
}

func withPointer<T, E, R>(_ storage: inout T, _ body: (UnsafeMutablePointer<E>) -> R) -> R {
    withUnsafeMutablePointer(to: &storage) { p in
        body(UnsafeMutableRawPointer(p).assumingMemoryBound(to: E.self))
    }
}

/// Trains a two-layer run (see ``train(_:_:_:settings:order:batchInputs:batchTargets:on:)``).
func train<L1: DenseLayer, L2: DenseLayer>(
    _ name: StaticString, _ shape: StaticString, _ l1: inout L1, _ l2: inout L2, settings: TrainingRun,
    order: UnsafeMutablePointer<Int32>, batchInputs: UnsafeMutablePointer<Float>,
    batchTargets: UnsafeMutablePointer<Float>
) -> Bool where L1.Output == L2.Input {
    withNetwork(&l1, &l2, loss: settings.loss) { net in
        train(name, shape, settings: settings, order: order, batchInputs: batchInputs,
              batchTargets: batchTargets, on: net)
    }
}

/// Trains a three-layer run.
func train<L1: DenseLayer, L2: DenseLayer, L3: DenseLayer>(
    _ name: StaticString, _ shape: StaticString, _ l1: inout L1, _ l2: inout L2, _ l3: inout L3,
    settings: TrainingRun, order: UnsafeMutablePointer<Int32>, batchInputs: UnsafeMutablePointer<Float>,
    batchTargets: UnsafeMutablePointer<Float>
) -> Bool where L1.Output == L2.Input, L2.Output == L3.Input {
    withNetwork(&l1, &l2, &l3, loss: settings.loss) { net in
        train(name, shape, settings: settings, order: order, batchInputs: batchInputs,
              batchTargets: batchTargets, on: net)
    }
}

/// A run in progress: the shuffle stream, the sample order and the
/// optimizer's clock, as Trainer.train keeps them between epochs.
struct TrainingState {
    var settings: TrainingRun
    var shuffle: Random
    var order: UnsafeMutablePointer<Int32>
    var batchInputs: UnsafeMutablePointer<Float>
    var batchTargets: UnsafeMutablePointer<Float>
    var clock = Optimizer.Clock()

    /// Initialises the network's parameters as Network.initialize does (one
    /// Random(seed) stream, layer by layer, weights then biases) and the
    /// order and shuffle stream as Trainer.train does (TrainingSeeds).
    init(_ s: TrainingRun, network net: NetworkView, order: UnsafeMutablePointer<Int32>,
         batchInputs: UnsafeMutablePointer<Float>, batchTargets: UnsafeMutablePointer<Float>) {
        var random = Random(seed: TrainingSeeds(s.seed).initialization)
        for l in 0..<net.layerCount {
            let layer = net[l]
            let scheme = s.initializer ?? .standard(for: layer.activation)
            scheme.initialize(w: layer.w, b: layer.b, inCount: layer.inCount, outCount: layer.outCount,
                              random: &random)
        }
        settings = s
        shuffle = Random(seed: TrainingSeeds(s.seed).shuffle)
        for i in 0..<s.count { order[i] = Int32(truncatingIfNeeded: i) }
        self.order = order; self.batchInputs = batchInputs; self.batchTargets = batchTargets
    }

    /// One epoch of SGD; returns the mean cost over the samples (Trainer's
    /// training loss).
    mutating func epoch(_ net: NetworkView) -> Float {
        let s = settings
        let total = net.trainEpoch(
            inputs: s.inputs, labels: s.labels, count: s.count, order: order, batchSize: s.batchSize,
            batchInputs: batchInputs, batchTargets: batchTargets,
            optimizer: .sgd(learningRate: s.learningRate), clock: &clock, random: &shuffle)
        return total / Float(s.count)
    }
}

/// Initialises, trains and prints one run; false if the loss is not finite.
func train(
    _ name: StaticString, _ shape: StaticString, settings s: TrainingRun, order: UnsafeMutablePointer<Int32>,
    batchInputs: UnsafeMutablePointer<Float>, batchTargets: UnsafeMutablePointer<Float>, on net: NetworkView
) -> Bool {
    var state = TrainingState(s, network: net, order: order, batchInputs: batchInputs, batchTargets: batchTargets)
    var loss: Float = .nan
    for _ in 0..<s.epochs { loss = state.epoch(net) }

    Console.write("run ")
    Console.write(name)
    Console.write(" ")
    Console.write(shape)
    Console.write(" epochs ")
    Console.writeInt(s.epochs)
    Console.newline()
    Console.write(name)
    Console.write(" eta ")
    Console.writeBits(s.learningRate)
    Console.newline()
    Console.write(name)
    Console.write(" loss ")
    Console.writeBits(loss)
    Console.newline()
    for l in 0..<net.layerCount {
        let layer = net[l]
        printValues(name, "w", l + 1, layer.w, count: layer.inCount * layer.outCount)
        printValues(name, "b", l + 1, layer.b, count: layer.outCount)
    }
    Console.write(name)
    Console.write(" accuracy ")
    Console.writeInt(correctCount(net, s))
    Console.write("/")
    Console.writeInt(s.count)
    Console.newline()
    return loss.isFinite
}

/// Lines of `NAME wL v v v ...`, eight values each.
func printValues(_ name: StaticString, _ kind: StaticString, _ layer: Int, _ p: UnsafePointer<Float>, count: Int) {
    var k = 0
    while k < count {
        Console.write(name)
        Console.write(" ")
        Console.write(kind)
        Console.writeInt(layer)
        var lane = 0
        while lane < 8 && k < count {
            Console.write(" ")
            Console.writeBits(p[k])
            lane += 1
            k += 1
        }
        Console.newline()
    }
}

/// Training samples the trained network classifies right (the largest
/// output, or output > 0.5 for one output, as `tinynn` counts).
func correctCount(_ net: NetworkView, _ s: TrainingRun) -> Int {
    var correct = 0
    for i in 0..<s.count {
        let y = net.forward(s.inputs + i * net.inputCount)
        let predicted = Kernels.predictedClass(y, count: net.outputCount)
        if predicted == Int(s.labels[i]) { correct += 1 }
    }
    return correct
}

