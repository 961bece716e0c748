import Testing
import TinyNN

/// The seeds' first exercise: a 2-3-1 sigmoid network learns XOR.
@Suite struct XORTests {
    @Test func sigmoidNetworkLearnsXOR() {
        var r = Random(seed: 1)
        var hidden = Dense<2, 3>(activation: .sigmoid), output = Dense<3, 1>(activation: .sigmoid)
        hidden.initialize(.gaussian(standardDeviation: 1), random: &r)
        output.initialize(.gaussian(standardDeviation: 1), random: &r)
        let xs: [Float] = [0, 0, 0, 1, 1, 0, 1, 1]
        let ys: [Float] = [0, 1, 1, 0]
        let sgd = Optimizer.sgd(learningRate: 4)
        var clock = Optimizer.Clock()
        let (first, last) = withNetwork(&hidden, &output, loss: .quadratic) { net in
            let first = net.trainBatch(inputs: xs, targets: ys, batchSize: 4, optimizer: sgd, clock: &clock)
            var last = first
            for _ in 0..<3000 { last = net.trainBatch(inputs: xs, targets: ys, batchSize: 4, optimizer: sgd, clock: &clock) }
            return (first, last)
        }
        #expect(last < first / 10, "cost fell from \(first) to \(last)")
        withNetwork(&hidden, &output, loss: .quadratic) { net in
            for s in 0..<4 {
                let a = xs.withUnsafeBufferPointer { net.forward($0.baseAddress! + 2 * s)[0] }
                // A learned XOR separates the classes by a wide margin.
                #expect(ys[s] == 1 ? a > 0.8 : a < 0.2, "sample \(s): output \(a)")
            }
        }
    }
}
