import Foundation
import TinyNN
import TinyNNHost

/// Which implementation trains.
enum Engine: String, CaseIterable, Codable {
    /// `NetworkView.trainBatch`: forward and backward one sample at a time
    /// (the firmware's path).
    case perSample = "per-sample"
    /// `NetworkView.trainBatchBatched`: every kernel over the whole mini-batch.
    case batched
    /// ``NaiveNetwork``: plain nested loops.
    case naive
}

/// The data of one configuration laid out for the engine.
struct PreparedData {
    let data: Dataset
    let targets: [Float]
    var batches: Int { data.count / batchSize }
    let batchSize: Int

    /// The features where the engines read them: a copy on transparent huge
    /// pages when `TINYNN_HUGE` is set (an experiment), else the data set's array.
    let inputs: UnsafeBufferPointer<Float>

    init(_ config: BenchConfig) {
        data = BenchData.load(config.data)
        targets = BenchData.oneHot(data, classes: config.widths.last!)
        batchSize = config.batchSize
        if ProcessInfo.processInfo.environment["TINYNN_HUGE"] != nil {
            let bytes = (data.features.count * 4 + (2 << 20) - 1) & ~((2 << 20) - 1)
            var raw: UnsafeMutableRawPointer?
            precondition(posix_memalign(&raw, 2 << 20, bytes) == 0)
            precondition(madvise(raw, bytes, MADV_HUGEPAGE) == 0)
            let p = raw!.bindMemory(to: Float.self, capacity: data.features.count)
            _ = UnsafeMutableBufferPointer(start: p, count: data.features.count).initialize(from: data.features)
            inputs = UnsafeBufferPointer(start: p, count: data.features.count)
        } else {
            inputs = data.features.withUnsafeBufferPointer { $0 }
        }
    }
}

/// Trains `batches` mini-batches starting at batch `first` (wrapping), with
/// the chosen engine. Returns the samples trained.
final class Runner {
    let config: BenchConfig
    let prepared: PreparedData
    let engine: Engine
    let network: Network
    var naive: NaiveNetwork?
    var workspace: BatchWorkspace?
    var clock = Optimizer.Clock()
    var next = 0
    /// Cycle over only this many mini-batches (nil: the whole data set), to
    /// measure with the inputs in cache.
    var cycle: Int?
    /// Whether the batched engine is told the next mini-batch's inputs (to prefetch them).
    var prefetchNext = true

    init(_ config: BenchConfig, _ prepared: PreparedData, engine: Engine) {
        self.config = config; self.prepared = prepared; self.engine = engine
        network = config.makeNetwork()
        switch engine {
        case .naive: naive = NaiveNetwork(copying: network, optimizer: config.optimizer)
        case .batched: workspace = BatchWorkspace(network, batchSize: config.batchSize)
        case .perSample: break
        }
    }

    @discardableResult
    func train(batches: Int) -> Int {
        let n = config.widths[0], k = config.widths.last!, m = config.batchSize
        let optimizer = config.optimizer
        switch engine {
        case .naive:
            for _ in 0..<batches {
                naive!.trainBatch(prepared.data.features, prepared.targets, first: next * m, batchSize: m)
                next = (next + 1) % (cycle ?? prepared.batches)
            }
        case .perSample, .batched:
            do { let x = prepared.inputs
                prepared.targets.withUnsafeBufferPointer { y in
                    network.withView { net in
                        for _ in 0..<batches {
                            let xs = x.baseAddress! + next * m * n, ys = y.baseAddress! + next * m * k
                            let following = (next + 1) % (cycle ?? prepared.batches)
                            if engine == .batched {
                                workspace!.trainBatch(net, inputs: xs, targets: ys, batchSize: m,
                                                      optimizer: optimizer, clock: &clock,
                                                      nextInputs: prefetchNext ? x.baseAddress! + following * m * n : nil)
                            } else {
                                net.trainBatch(inputs: xs, targets: ys, batchSize: m, optimizer: optimizer, clock: &clock)
                            }
                            next = (next + 1) % (cycle ?? prepared.batches)
                        }
                    }
                }
            }
        }
        return batches * m
    }

    /// Forward passes of `count` single samples (latency of one inference).
    func infer(count: Int) -> Int {
        let n = config.widths[0]
        if engine == .naive {
            for _ in 0..<count {
                let s = next
                naive!.forward(Array(prepared.data.features[(s * n)..<((s + 1) * n)]))
                next = (next + 1) % prepared.data.count
            }
            return count
        }
        prepared.data.features.withUnsafeBufferPointer { x in
            network.withView { net in
                for _ in 0..<count {
                    net.forward(x.baseAddress! + next * n)
                    next = (next + 1) % prepared.data.count
                }
            }
        }
        return count
    }

    /// The parameters after training, in model-file order.
    var parameters: [Float] { engine == .naive ? naive!.flatParameters : network.flatParameters }
}

/// Everything measured for one configuration.
struct ConfigResult: Codable {
    var name: String
    var title: String
    var widths: [Int]
    var batchSize: Int
    var data: String
    var macsPerTrainingSample: Int
    var flopsPerTrainingSample: Double
    /// Training samples per second, per engine.
    var training: [String: Rate]
    /// Single-sample forward passes per second, per engine (the batched
    /// engine trains in batches but infers like the per-sample one).
    var inference: [String: Rate]
    /// The fastest engine's median training rate.
    var fastestEngine: String
    var trainingSamplesPerSecond: Double
    var inferenceMicrosecondsPerSample: Double
    var naiveTrainingSamplesPerSecond: Double
    var naiveInferenceMicrosecondsPerSample: Double
    /// fastest engine / naive, same run.
    var trainingSpeedupOverNaive: Double
    var inferenceSpeedupOverNaive: Double
    var trainingGFLOPS: Double
    var shareOfNominalPeak: Double
    var shareOfMeasuredFMAPeak: Double
    /// The largest |Δp| between the fast engine and the naive reference after
    /// the same 50 mini-batches from the same start (they differ in rounding only).
    var maxParameterDifferenceToNaive: Float
    /// Bit-identical parameters from the per-sample and batched engines after 50 batches.
    var batchedBitIdentical: Bool
    var command: String
}

/// Training samples/s of one configuration with one engine, in chunks of about 1 ms.
func trainingRate(_ config: BenchConfig, engine: Engine, budget: Budget, cycle: Int? = nil,
                  prefetchNext: Bool = true) -> Rate {
    let runner = Runner(config, PreparedData(config), engine: engine)
    runner.cycle = cycle
    runner.prefetchNext = prefetchNext
    let chunk = max(1, 20_000_000 / max(config.macsPerTrainingSample * config.batchSize * (engine == .naive ? 8 : 1), 1))
    return measure(budget) { runner.train(batches: chunk) }
}

func benchConfig(_ config: BenchConfig, budget: Budget, machine: Machine) -> ConfigResult {
    let prepared = PreparedData(config)
    var training: [String: Rate] = [:], inference: [String: Rate] = [:]
    for engine in Engine.allCases {
        let runner = Runner(config, prepared, engine: engine)
        // Chunks of about 1 ms of work keep the clock reads negligible.
        let chunk = max(1, 20_000_000 / max(config.macsPerTrainingSample * config.batchSize * (engine == .naive ? 8 : 1), 1))
        training[engine.rawValue] = measure(budget) { runner.train(batches: chunk) }
        if engine != .batched {
            let count = chunk * config.batchSize
            inference[engine.rawValue] = measure(budget) { runner.infer(count: count) }
        }
    }
    // Agreement: 50 batches from the same start.
    let runs = Engine.allCases.map { e -> [Float] in
        let r = Runner(config, prepared, engine: e)
        r.train(batches: 50)
        return r.parameters
    }
    let fast = runs[0], batched = runs[1], naive = runs[2]
    let maxDiff = zip(fast, naive).map { abs($0 - $1) }.max() ?? 0
    let identical = zip(fast, batched).allSatisfy { $0.bitPattern == $1.bitPattern }

    let fastest = [Engine.perSample, .batched].max { training[$0.rawValue]!.best < training[$1.rawValue]!.best }!
    let rate = training[fastest.rawValue]!.best
    let naiveRate = training[Engine.naive.rawValue]!.best
    let inferRate = inference[Engine.perSample.rawValue]!.best
    let naiveInfer = inference[Engine.naive.rawValue]!.best
    let gflops = rate * config.flopsPerTrainingSample / 1e9
    return ConfigResult(
        name: config.name, title: config.title, widths: config.widths, batchSize: config.batchSize,
        data: config.data.rawValue, macsPerTrainingSample: config.macsPerTrainingSample,
        flopsPerTrainingSample: config.flopsPerTrainingSample, training: training, inference: inference,
        fastestEngine: fastest.rawValue, trainingSamplesPerSecond: rate,
        inferenceMicrosecondsPerSample: 1e6 / inferRate,
        naiveTrainingSamplesPerSecond: naiveRate, naiveInferenceMicrosecondsPerSample: 1e6 / naiveInfer,
        trainingSpeedupOverNaive: rate / naiveRate, inferenceSpeedupOverNaive: inferRate / naiveInfer,
        trainingGFLOPS: gflops, shareOfNominalPeak: gflops / machine.nominalPeakGFLOPS,
        shareOfMeasuredFMAPeak: gflops / machine.measuredFMAGFLOPS,
        maxParameterDifferenceToNaive: maxDiff, batchedBitIdentical: identical,
        command: "\(binary) run \(config.name)")
}

/// Trains `steps` mini-batches inside one function that callgrind can
/// single out (`--toggle-collect='*callgrindRegion*'`).
@inline(never)
func callgrindRegion(_ runner: Runner, steps: Int) -> Int {
    runner.train(batches: steps)
}
