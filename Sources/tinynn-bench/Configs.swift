import TinyNN
import TinyNNHost

/// One benchmarked network: shape, activations, cost, optimizer, batch size
/// and the data it trains on.
struct BenchConfig {
    /// Short name used on the command line (`tinynn-bench run NAME`).
    let name: String
    /// What the network is, for the table.
    let title: String
    let widths: [Int]
    let activations: [Activation]
    let loss: Loss
    let optimizer: Optimizer
    let batchSize: Int
    let data: DataKind

    enum DataKind: String {
        /// The bundled MNIST test set, 10,000 images of 28×28.
        case mnist
        /// The same images pooled to 8×8 (average of 3×3 blocks of the
        /// central 24×24), the size of scikit-learn's `digits`.
        case mnist8x8
    }

    static let all: [BenchConfig] = [
        BenchConfig(name: "seeds", title: "[784,30,10] sigmoid/quadratic SGD η=3",
                    widths: [784, 30, 10], activations: [.sigmoid, .sigmoid], loss: .quadratic,
                    optimizer: .sgd(learningRate: 3), batchSize: 10, data: .mnist),
        BenchConfig(name: "mnist100-sgd", title: "[784,100,10] sigmoid/quadratic SGD η=3",
                    widths: [784, 100, 10], activations: [.sigmoid, .sigmoid], loss: .quadratic,
                    optimizer: .sgd(learningRate: 3), batchSize: 10, data: .mnist),
        BenchConfig(name: "mnist100-adam", title: "[784,100,10] relu/softmax/CE Adam η=0.001",
                    widths: [784, 100, 10], activations: [.relu, .softmax], loss: .crossEntropy,
                    optimizer: .adam(learningRate: 0.001, weightDecay: 1e-4), batchSize: 10, data: .mnist),
        BenchConfig(name: "digits", title: "[64,32,10] sigmoid/quadratic SGD η=3 (8×8)",
                    widths: [64, 32, 10], activations: [.sigmoid, .sigmoid], loss: .quadratic,
                    optimizer: .sgd(learningRate: 3), batchSize: 10, data: .mnist8x8),
    ]

    static func named(_ name: String) -> BenchConfig? { all.first { $0.name == name } }

    /// A freshly initialized network of this shape (seed 1, the standard
    /// initializer of each activation).
    func makeNetwork() -> Network {
        let net = try! Network(widths: widths, activations: activations, loss: loss)
        net.initialize(seed: 1)
        // `Trainer` allocates the optimizer state; zero epochs do nothing else.
        _ = try! Trainer(optimizer: optimizer, batchSize: batchSize, epochs: 0, seed: 0)
            .train(net, on: BenchData.dummy(inputs: widths[0]))
        return net
    }

    /// Multiply-accumulates per training sample: forward (In·Out per layer),
    /// BP4 (In·Out per layer) and BP2 (In·Out for every layer above the first).
    var macsPerTrainingSample: Int {
        var macs = 0
        for l in 0..<(widths.count - 1) {
            let io = widths[l] * widths[l + 1]
            macs += 2 * io
            if l > 0 { macs += io }
        }
        return macs
    }

    var macsPerInference: Int {
        (0..<(widths.count - 1)).reduce(0) { $0 + widths[$1] * widths[$1 + 1] }
    }

    var parameterCount: Int {
        (0..<(widths.count - 1)).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] }
    }

    /// Floating-point operations per training sample, counted as executed
    /// (a fused multiply-add is 2, a division or square root 1; activation
    /// functions themselves — exp, comparisons — count 0):
    /// - per layer: forward `2·In·Out + Out` (products and bias), BP3 `Out`,
    ///   BP4 `2·In·Out`; above the first layer BP2 `2·In·Out`;
    /// - BP1 `Out` (a − y) and, for every sigmoid layer's Hadamard factor
    ///   `g·a·(1−a)`, `3` per neuron (softmax: `4` per output);
    /// - the update once per batch, shared by its samples: SGD 4 per
    ///   parameter (`scale·Σ`, `fma(λ, p, ·)`, `fma(−η, g, p)`), Adam 17.
    var flopsPerTrainingSample: Double {
        var f = 0.0
        let layers = widths.count - 1
        for l in 0..<layers {
            let n = Double(widths[l]), m = Double(widths[l + 1])
            f += 2 * n * m + m   // forward
            f += m               // BP3
            f += 2 * n * m       // BP4
            if l > 0 {
                f += 2 * n * m   // BP2 into layer l−1
            }
            switch activations[l] {
            case .sigmoid, .tanh: f += 3 * m
            case .softmax: f += 4 * m
            default: break
            }
        }
        f += Double(widths[layers])  // BP1: a − y
        let perParameter: Double = optimizer.kind == .adam ? 17 : 4
        f += perParameter * Double(parameterCount) / Double(batchSize)
        return f
    }
}

/// Data sets for the benchmarks, loaded once.
enum BenchData {
    static let mnistDirectory = "Data/mnist"

    static func load(_ kind: BenchConfig.DataKind) -> Dataset {
        let mnist = loadMNIST()
        switch kind {
        case .mnist: return mnist
        case .mnist8x8: return pooled8x8(mnist)
        }
    }

    nonisolated(unsafe) static var cachedMNIST: Dataset?

    static func loadMNIST() -> Dataset {
        if let d = cachedMNIST { return d }
        do {
            let d = try IDX.load(images: "\(mnistDirectory)/t10k-images-idx3-ubyte.gz",
                                 labels: "\(mnistDirectory)/t10k-labels-idx1-ubyte.gz")
            cachedMNIST = d
            return d
        } catch {
            fatalError("tinynn-bench: cannot load MNIST from \(mnistDirectory) (run from the package root): \(error)")
        }
    }

    /// 28×28 → 8×8: drop a 2-pixel border, then average 3×3 blocks.
    static func pooled8x8(_ d: Dataset) -> Dataset {
        var features = [Float](repeating: 0, count: d.count * 64)
        d.features.withUnsafeBufferPointer { src in
            for s in 0..<d.count {
                for r in 0..<8 {
                    for c in 0..<8 {
                        var sum: Float = 0
                        for dr in 0..<3 {
                            for dc in 0..<3 { sum += src[s * 784 + (2 + 3 * r + dr) * 28 + 2 + 3 * c + dc] }
                        }
                        features[s * 64 + r * 8 + c] = sum / 9
                    }
                }
            }
        }
        return try! Dataset(features: features, labels: d.labels, featureCount: 64, classCount: 10, name: "MNIST 8×8")
    }

    static func dummy(inputs: Int) -> Dataset {
        try! Dataset(features: [Float](repeating: 0, count: inputs), labels: [0], featureCount: inputs,
                     classCount: 10, name: "dummy")
    }

    /// One-hot targets `[count][classes]`.
    static func oneHot(_ d: Dataset, classes: Int) -> [Float] {
        var y = [Float](repeating: 0, count: d.count * classes)
        for i in 0..<d.count { y[i * classes + d.labels[i]] = 1 }
        return y
    }
}
