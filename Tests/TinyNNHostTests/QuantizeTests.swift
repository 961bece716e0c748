import Foundation
import Testing
import TinyNN
import TinyNNHost

/// Post-training int8 quantization: accuracy against the float model on
/// held-out data, the model file, the header, and refused input.
@Suite(.serialized) struct QuantizeTests {
    static let digitsPath = "\(packageRoot)/Data/digits/digits.csv"

    /// Digits split as `tinynn train --validation-split 0.2 --seed 4` splits it.
    static func digits() throws -> (train: Dataset, test: Dataset) {
        let all = try CSVTable.read(digitsPath, limit: nil).dataset(labelColumn: .last, classCount: nil)
        let split = all.split(holdingOut: 0.2, seed: TrainingSeeds(4).split)
        return (split.train, split.test!)
    }

    /// Float and int8 accuracy of `model` on `test`, the int8 calibrated on `train`.
    static func compare(_ model: inout Model, train: Dataset, test: Dataset) throws -> (float: Double, int8: Double) {
        let (q, trials) = try Quantizer.quantize(model, calibration: train)
        #expect(trials.count == 2)
        model.quantized = q
        let float = try model.evaluate(on: test, name: "test").accuracy
        let int8 = try model.evaluateInt8(on: test, name: "test").accuracy
        print("quantize: \(model.network.widths) \(test.count) held-out rows: float \(float * 100)%, int8 \(int8 * 100)%"
              + " (calibration: " + trials.map { "\($0.calibration.name) \($0.accuracy * 100)% mse \($0.meanSquaredError)" }
                .joined(separator: ", ") + "; kept \(q.calibration.name)), int8 flash \(q.flashBytes) B")
        return (float, int8)
    }

    /// Digits [64, 32, 10], ReLU and softmax (Scripts/verify's digitsrelu): the
    /// int8 model within 1.0 point of the float one on the 359 held-out rows.
    @Test func digitsWithinOnePoint() throws {
        let (train, test) = try Self.digits()
        #expect(test.count == 359)
        let scaling = FeatureScaling.fit(.minMax, to: train)
        let net = try Network(widths: [64, 32, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 4)
        _ = try Trainer(optimizer: .sgd(learningRate: 0.5), batchSize: 10, epochs: 10, seed: 5)
            .train(net, on: scaling.apply(to: train), test: nil) { _ in }
        var model = Model(network: net, scaling: scaling)
        let (float, int8) = try Self.compare(&model, train: train, test: test)
        #expect(float > 0.9, "the float model learned (\(float))")
        #expect(abs(float - int8) <= 0.01, "float \(float), int8 \(int8)")
    }

    /// MNIST [784, 100, 10] ReLU/softmax (MNISTTests' network): within 0.5 point
    /// on the last 2,000 images, calibrated on the first 8,000.
    @Test func mnistWithinHalfAPoint() throws {
        let train = MNISTTests.data.slice(0..<8000), test = MNISTTests.data.slice(8000..<10_000)
        let net = try Network(widths: [784, 100, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 1)
        _ = try Trainer(optimizer: .adam(learningRate: 0.001, weightDecay: 1e-4), batchSize: 32, epochs: 15, seed: 2)
            .train(net, on: train, test: nil) { _ in }
        var model = Model(network: net)
        let (float, int8) = try Self.compare(&model, train: train, test: test)
        #expect(float > 0.95, "the float model learned (\(float))")
        #expect(abs(float - int8) <= 0.005, "float \(float), int8 \(int8)")
        let floatFlash = TargetFootprint(widths: net.widths, scaled: false).flashBytes
        #expect(Double(model.quantized!.flashBytes) <= 0.27 * Double(floatFlash), "\(model.quantized!.flashBytes) of \(floatFlash)")
    }

    /// Sigmoid, tanh and leaky ReLU layers (tables, the negative multipliers)
    /// survive the model file bit for bit and stay close to the float model.
    @Test func everyActivationRoundTrips() throws {
        let (train, test) = try Self.digits()
        let scaling = FeatureScaling.fit(.standard, to: train)
        let net = try Network(widths: [64, 16, 12, 8, 10], activations: [.sigmoid, .tanh, .leakyReLU, .softmax],
                              loss: .crossEntropy)
        net.initialize(seed: 9)
        _ = try Trainer(optimizer: .adam(learningRate: 0.003), batchSize: 10, epochs: 10, seed: 3)
            .train(net, on: scaling.apply(to: train), test: nil) { _ in }
        var model = Model(network: net, scaling: scaling)
        let (float, int8) = try Self.compare(&model, train: train, test: test)
        #expect(abs(float - int8) <= 0.03, "float \(float), int8 \(int8)")
        let q = model.quantized!
        #expect(q.layers.map(\.table.count) == [256, 256, 0, 0])
        #expect(q.layers.map(\.negativeMultiplier.count) == [0, 0, 8, 0])
        let bytes = ModelFile.encode(model)
        let back = try ModelFile.decode(bytes, file: "m.tnn")
        #expect(back.quantized == q)
        #expect(ModelFile.encode(back) == bytes)
        // The int8 engine gives the same integers after the round trip, row by row.
        var equal = 0
        for s in 0..<test.count {
            let x = Array(test.sample(s))
            #expect(try back.runInt8(x) == model.runInt8(x)); equal += 1
        }
        #expect(equal == test.count)
    }

    /// A reader that does not know the INT8 section refuses the file in one
    /// line (shown with the tag renamed, as an older tinynn sees it).
    @Test func unknownSectionIsRefused() throws {
        let (train, _) = try Self.digits()
        let net = try Network(widths: [64, 8, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 2)
        var model = Model(network: net)
        model.quantized = try Quantizer.quantize(model, calibration: train).model
        var bytes = ModelFile.encode(model)
        let tag = Array("INT8".utf8)
        let at = (0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == tag }!
        bytes[at + 3] = UInt8(ascii: "9")
        let crc = crc32(bytes[0..<(bytes.count - 4)])
        for k in 0..<4 { bytes[bytes.count - 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        do {
            _ = try ModelFile.decode(bytes, file: "m.tnn")
            Issue.record("a file with an unknown section was read")
        } catch {
            #expect(error.description == "m.tnn: section 'INT9': unknown section (written by a newer tinynn?)")
        }
        #expect(try ModelFile.decode(ModelFile.encode(model), file: "m.tnn").quantized != nil)
    }

    /// The header: int8_t weights, int32_t biases and multipliers, aligned,
    /// the arrays' CRC, and the values of the model (first weights spelled out).
    @Test func headerHoldsTheIntegers() throws {
        let (train, _) = try Self.digits()
        let net = try Network(widths: [64, 8, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        net.initialize(seed: 2)
        var model = Model(network: net)
        model.quantized = try Quantizer.quantize(model, calibration: train).model
        let h = Int8Header.render(model, name: "m", source: "m.tnn")
        let q = model.quantized!
        #expect(h.contains("static const int8_t tinynn_m_w1[512] __attribute__((aligned(16))) = {\n    "
                           + q.layers[0].w.prefix(16).map { "\($0)," }.joined(separator: " ") + "\n"))
        #expect(h.contains("static const int32_t tinynn_m_b2[10] __attribute__((aligned(16)))"))
        #expect(h.contains("static const int32_t tinynn_m_m1[8] __attribute__((aligned(16)))"))
        #expect(h.contains("#define TINYNN_M_CRC32 \(ModelFile.hex(q.crc))u"))
        #expect(h.contains("#define TINYNN_M_FLASH_BYTES \(512 + 80 + 4 * 2 * 18)\n"))
    }

    /// Bad input: one line each, exit 1, nothing written.
    @Test func badInputIsRefused() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let float = "\(dir)/f.tnn", int8 = "\(dir)/q.tnn"
        var r = try runProcess(tinynnPath, ["train", "--data", Self.digitsPath, "--seeds-config", "--layers", "64,8,10",
                                            "--activations", "relu,softmax", "--loss", "cross-entropy", "--epochs", "2",
                                            "--output", float])
        #expect(r.status == 0, "\(r.stderr)")
        r = try runProcess(tinynnPath, ["quantize", float, "--data", Self.digitsPath, "--output", int8])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOfFile: Self.digitsPath, encoding: .utf8).split(separator: "\n")
        func csv(_ name: String, _ lines: [String]) throws -> String {
            let path = "\(dir)/\(name)"
            try FileIO.writeAtomically(lines.joined(separator: "\n") + "\n", to: path)
            return path
        }
        let narrow = try csv("narrow.csv", rows.prefix(5).map { $0.split(separator: ",").dropFirst().joined(separator: ",") })
        let nan = try csv("nan.csv", [String(rows[0])] + [rows[1].split(separator: ",").enumerated()
            .map { $0.offset == 3 ? "nan" : String($0.element) }.joined(separator: ",")])
        let inf = try csv("inf.csv", [rows[1].split(separator: ",").enumerated()
            .map { $0.offset == 0 ? "inf" : String($0.element) }.joined(separator: ",")])
        let empty = try csv("empty.csv", [])
        let zeros = try csv("zeros.csv", [Array(repeating: "0", count: 64).joined(separator: ",") + ",3"])
        // A model whose hidden ReLU layer is 0 on every input (zero weights, bias −1): its activations cannot be quantized.
        let dead = "\(dir)/dead.tnn"
        let deadNet = try Network(widths: [64, 4, 10], activations: [.relu, .softmax], loss: .crossEntropy)
        deadNet.initialize(seed: 1)
        try deadNet.setParameters(layer: 0, weights: [Float](repeating: 0, count: 256), biases: [Float](repeating: -1, count: 4))
        try FileIO.writeAtomically(ModelFile.encode(Model(network: deadNet)), to: dead)
        let out = "\(dir)/out.tnn"
        let cases: [([String], String)] = [
            ([dead, "--data", Self.digitsPath], "\(Self.digitsPath): layer 1's output is 0 on every calibration sample:"
                + " a range of zero cannot be quantized"),
            ([float, "--data", narrow], "\(narrow)"),
            ([float, "--data", nan], "\(nan)"),
            ([float, "--data", inf], "\(inf)"),
            ([float, "--data", empty], "\(empty)"),
            ([int8, "--data", Self.digitsPath], "\(int8) is already an int8 model"),
            ([float, "--data", zeros], "\(zeros): the input is 0 on every calibration sample: a range of zero cannot be quantized"),
        ]
        for (arguments, message) in cases {
            let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            let r = try runProcess(tinynnPath, ["quantize"] + arguments + ["--output", out])
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.hasPrefix("tinynn: " + message), "\(arguments): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before, "\(arguments) wrote a file")
        }
    }
}
