import Testing
import TinyNN
import TinyNNHost

/// The train firmware's output against `tinynn train`'s model file, and the
/// bench app's figures read back.
@Suite struct TrainCheckTests {
    /// What the train app prints for `model` (Training.swift): eta, loss,
    /// then `NAME wL` / `NAME bL` lines of up to eight values.
    static func firmwareOutput(_ model: Model, name: String, flip: Int? = nil) -> String {
        var lines = ["run \(name) 2,3,1 epochs 1", "\(name) eta \(BitDump.bits(model.training.optimizer.learningRate))",
                     "\(name) loss \(BitDump.bits(model.training.trainingLoss))"]
        let net = model.network
        var k = 0
        for l in 1...net.layerCount {
            for (kind, values) in [("w", net.weights(l - 1)), ("b", net.biases(l - 1))] {
                for start in stride(from: 0, to: values.count, by: 8) {
                    let chunk = values[start..<min(start + 8, values.count)].map { v -> String in
                        defer { k += 1 }
                        return BitDump.bits(k == flip ? Float(bitPattern: v.bitPattern ^ 1) : v)
                    }
                    lines.append("\(name) \(kind)\(l) " + chunk.joined(separator: " "))
                }
            }
        }
        return (lines + ["\(name) accuracy 4/4", "stack peak 100", "train: done"]).joined(separator: "\n")
    }

    static func model() throws -> Model {
        let net = try Network(widths: [2, 9, 1], activations: [.sigmoid, .sigmoid], loss: .quadratic)
        net.initialize(seed: 1)
        return Model(network: net)
    }

    @Test func equalRunIsEqualAndCounted() throws {
        let m = try Self.model()
        let check = TrainCheck(expected: [("xor", BitDump.modelValues(m, name: "xor"))], output: Self.firmwareOutput(m, name: "xor"))
        #expect(check.isEqual && check.runs == 1 && check.values == 2 + m.network.parameterCount)
    }

    @Test func flippedBitMissingRunAndShortOutputAreCaught() throws {
        let m = try Self.model()
        let want = [("xor", BitDump.modelValues(m, name: "xor"))]
        // In model-file order w1 (18 weights), b1 (9), w2, b2: parameter 20 is b1[2].
        let flipped = TrainCheck(expected: want, output: Self.firmwareOutput(m, name: "xor", flip: 20))
        let host = BitDump.bits(m.network.biases(0)[2]), target = BitDump.bits(Float(bitPattern: m.network.biases(0)[2].bitPattern ^ 1))
        #expect(flipped.firstDifference == "xor b1[2]: host \(host), target \(target)")
        let other = TrainCheck(expected: want, output: Self.firmwareOutput(m, name: "digits"))
        #expect(other.firstDifference == "xor: the firmware printed no values for this run" && !other.isEqual)
        let short = TrainCheck(expected: want, output: Self.firmwareOutput(m, name: "xor").split(separator: "\n").dropLast(4).joined(separator: "\n"))
        #expect(short.firstDifference?.hasPrefix("xor: host has \(m.network.parameterCount) parameters, target printed") == true)
    }

    @Test func benchFigures() {
        let out = BenchOutput("bench: mps2-an386\ninference [64,32,10] macs 2368\ninference runs 64 ticks 7637 tick_ps 40000\ntrain samples 200 batch 10")
        #expect(out.instructions("inference") == 7637.0 * 40000 / 1000 / 64)
        #expect(out.value("inference", "macs") == 2368 && out.value("train", "batch") == 10)
        #expect(out.instructions("dense_kernels") == nil && out.value("train", "steps") == nil)
    }
}
