import Testing
import TinyNN

/// The batched engine against the per-sample engine: the same network
/// trained on the same batches both ways must end with the same bits in
/// every weight, bias, optimizer state, gradient sum and last-sample
/// `z`, `a`, `δ`, and report the same costs.
@Suite struct BatchEngineTests {
    /// A network that owns its buffers (the core's `NetworkView` owns none).
    final class Owned {
        let widths: [Int], activations: [Activation], loss: Loss, stateCount: Int
        var buffers: [UnsafeMutableBufferPointer<Float>] = []
        var view: NetworkView

        init(widths: [Int], activations: [Activation], loss: Loss, optimizer: Optimizer, seed: UInt64) {
            self.widths = widths; self.activations = activations; self.loss = loss
            stateCount = optimizer.stateCount
            view = NetworkView(loss: loss)
            var random = Random(seed: seed)
            func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(n, 1))
                p.initialize(repeating: 0)
                buffers.append(p)
                return p.baseAddress!
            }
            for l in 0..<(widths.count - 1) {
                let n = widths[l], m = widths[l + 1]
                let layer = LayerView(
                    inCount: n, outCount: m, activation: activations[l], w: alloc(n * m), b: alloc(m),
                    z: alloc(m), a: alloc(m), delta: alloc(m), gw: alloc(n * m), gb: alloc(m),
                    stateW: stateCount > 0 ? alloc(stateCount * n * m) : nil,
                    stateB: stateCount > 0 ? alloc(stateCount * m) : nil,
                    leakySlope: 0.2)  // not the default: the batched kernels must read the layer's
                // Biases drawn too, so that no parameter starts at a special value.
                Initializer.gaussian(standardDeviation: 0.7).initialize(
                    w: layer.w, b: layer.b, inCount: n, outCount: m, random: &random)
                view.append(layer)
            }
        }

        deinit { for p in buffers { p.deallocate() } }

        /// Every float the network holds, tensor by tensor, as bits.
        var allBits: [[UInt32]] { buffers.map { $0.map(\.bitPattern) } }
    }

    struct Case: CustomStringConvertible, Sendable {
        var widths: [Int]
        var activations: [Activation]
        var loss: Loss
        var optimizer: Optimizer
        var batchSize: Int
        var description: String { "\(widths) \(activations) \(loss) \(optimizer.kind) m=\(batchSize)" }
    }

    static let cases: [Case] = [
        Case(widths: [784, 30, 10], activations: [.sigmoid, .sigmoid], loss: .quadratic,
             optimizer: .sgd(learningRate: 3), batchSize: 10),
        Case(widths: [784, 100, 10], activations: [.relu, .softmax], loss: .crossEntropy,
             optimizer: .adam(learningRate: 0.001, weightDecay: 1e-4), batchSize: 10),
        Case(widths: [64, 32, 10], activations: [.tanh, .sigmoid], loss: .binaryCrossEntropy,
             optimizer: .momentum(learningRate: 0.05, weightDecay: 1e-3), batchSize: 7),
        Case(widths: [13, 9, 6, 3], activations: [.leakyReLU, .tanh, .identity], loss: .quadratic,
             optimizer: .sgd(learningRate: 0.1, weightDecay: 0.01), batchSize: 5),
        Case(widths: [7, 5, 4], activations: [.leakyReLU, .leakyReLU], loss: .quadratic,
             optimizer: .momentum(learningRate: 0.05), batchSize: 4),
        Case(widths: [5, 1], activations: [.sigmoid], loss: .binaryCrossEntropy,
             optimizer: .adam(learningRate: 0.01), batchSize: 1),
        Case(widths: [17, 23, 4], activations: [.relu, .softmax], loss: .crossEntropy,
             optimizer: .sgd(learningRate: 0.5), batchSize: 3),
    ]

    @Test(arguments: cases)
    func batchedTrainingIsBitIdenticalToPerSampleTraining(_ c: Case) {
        let reference = Owned(widths: c.widths, activations: c.activations, loss: c.loss, optimizer: c.optimizer, seed: 5)
        let batched = Owned(widths: c.widths, activations: c.activations, loss: c.loss, optimizer: c.optimizer, seed: 5)
        #expect(reference.allBits == batched.allBits)
        let n = c.widths.first!, k = c.widths.last!
        var r = Random(seed: 6)
        var scratch = [Float](repeating: 0, count: batched.view.batchScratchCount(batchSize: c.batchSize))
        var clockA = Optimizer.Clock(), clockB = Optimizer.Clock()
        let initial = reference.allBits
        // Six batches, the last one short (as at the end of an epoch).
        for batch in 0..<6 {
            let m = batch == 5 ? max(1, c.batchSize / 2) : c.batchSize
            let x = (0..<(m * n)).map { _ in r.uniform() }
            var y = [Float](repeating: 0, count: m * k)
            for s in 0..<m {
                if k == 1 { y[s] = Float(Int(r.below(2))) } else { y[s * k + Int(r.below(UInt32(k)))] = 1 }
            }
            let costA = reference.view.trainBatch(inputs: x, targets: y, batchSize: m, optimizer: c.optimizer, clock: &clockA)
            let costB = batched.view.trainBatch(inputs: x, targets: y, batchSize: m, optimizer: c.optimizer,
                                                clock: &clockB, scratch: &scratch)
            #expect(costA.bitPattern == costB.bitPattern, "batch \(batch): cost \(costA) vs \(costB)")
            let a = reference.allBits, b = batched.allBits
            for t in a.indices where a[t] != b[t] {
                let first = a[t].indices.first { a[t][$0] != b[t][$0] }!
                let message = "batch \(batch): buffer \(t) differs first at \(first): "
                    + "\(Float(bitPattern: a[t][first])) vs \(Float(bitPattern: b[t][first]))"
                Issue.record(Comment(rawValue: message))
            }
            #expect(clockA == clockB)
        }
        // Training changed the weights (both engines doing nothing would also agree).
        #expect(reference.allBits[0] != initial[0])
    }

    /// Where the inputs and the scratch sit in memory (32-byte aligned
    /// inputs are read in place, others copied to aligned scratch) and
    /// whether the next batch is announced (prefetched) change no bit.
    @Test(arguments: [(0, 0, false), (1, 3, true), (4, 1, false), (8, 0, true), (3, 7, true)])
    func placementAndPrefetchChangeNoBits(inputOffset: Int, scratchOffset: Int, announceNext: Bool) {
        let c = Self.cases[0]
        let reference = Owned(widths: c.widths, activations: c.activations, loss: c.loss, optimizer: c.optimizer, seed: 5)
        let batched = Owned(widths: c.widths, activations: c.activations, loss: c.loss, optimizer: c.optimizer, seed: 5)
        let n = c.widths.first!, k = c.widths.last!, m = c.batchSize, batches = 4
        var r = Random(seed: 6)
        // All batches' inputs in one buffer whose start is 64-byte aligned, plus the offset (in floats).
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * (batches * m * n + 16), alignment: 64)
        defer { raw.deallocate() }
        let x = raw.bindMemory(to: Float.self, capacity: batches * m * n + 16) + inputOffset
        for i in 0..<(batches * m * n) { x[i] = r.uniform() }
        var y = [Float](repeating: 0, count: batches * m * k)
        for s in 0..<(batches * m) { y[s * k + Int(r.below(UInt32(k)))] = 1 }
        var scratch = [Float](repeating: 0, count: batched.view.batchScratchCount(batchSize: m) + scratchOffset)
        var clockA = Optimizer.Clock(), clockB = Optimizer.Clock()
        for batch in 0..<batches {
            let xs = UnsafePointer(x + batch * m * n)
            let next = announceNext ? UnsafePointer(x + ((batch + 1) % batches) * m * n) : nil
            let costA = y.withUnsafeBufferPointer {
                reference.view.trainBatch(inputs: xs, targets: $0.baseAddress! + batch * m * k, batchSize: m,
                                          optimizer: c.optimizer, clock: &clockA)
            }
            let costB = y.withUnsafeBufferPointer { ys in
                scratch.withUnsafeMutableBufferPointer {
                    batched.view.trainBatch(inputs: xs, targets: ys.baseAddress! + batch * m * k, batchSize: m,
                                            optimizer: c.optimizer, clock: &clockB,
                                            scratch: $0.baseAddress! + scratchOffset,
                                            nextInputs: next, nextBatchSize: m)
                }
            }
            #expect(costA.bitPattern == costB.bitPattern, "batch \(batch)")
            #expect(reference.allBits == batched.allBits, "batch \(batch)")
        }
        // The inputs were read, not moved or changed.
        var check = Random(seed: 6)
        #expect((0..<(batches * m * n)).allSatisfy { x[$0] == check.uniform() })
    }
}
