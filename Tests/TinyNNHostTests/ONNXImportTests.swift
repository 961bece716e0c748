import Foundation
import Testing
import TinyNN
import TinyNNHost

/// `ONNXImport` on graphs written as torch.onnx.export, tf2onnx and skl2onnx
/// write them (Fixtures/onnx/make-fixtures.py), against onnxruntime's outputs
/// on the 360 held-out digits rows (index % 5 == 0).
@Suite struct ONNXImportTests {
    static let fixtures = "\(packageRoot)/Tests/TinyNNHostTests/Fixtures/onnx"

    /// The digits features by row index.
    static let digits: [[Float]] = {
        let text = try! String(contentsOfFile: "\(packageRoot)/Data/digits/digits.csv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in line.split(separator: ",").dropLast().map { Float($0)! } }
    }()

    struct Expected { var row: Int; var label: Int; var probabilities: [Float] }

    static func expected(_ name: String) throws -> [Expected] {
        try String(contentsOfFile: "\(fixtures)/\(name).expected", encoding: .utf8).split(separator: "\n").map { line in
            let f = line.split(separator: " ")
            return Expected(row: Int(f[0])!, label: Int(f[1])!, probabilities: f.dropFirst(2).map { Float($0)! })
        }
    }

    static func load(_ name: String) throws -> Model { try ONNXImport.load("\(fixtures)/\(name).onnx") }

    /// The largest |TinyNN − onnxruntime| probability over the held-out rows;
    /// fails on any class that differs. A one-output (binary) model's p is
    /// compared with onnxruntime's [1 − p, p].
    static func compare(_ name: String, classes: Int) throws -> Float {
        let model = try load(name)
        let rows = try expected(name)
        // The right rows: all 360 held out, in order, each with a probability per class.
        #expect(rows.map(\.row) == Array(stride(from: 0, to: 1797, by: 5)))
        #expect(rows.allSatisfy { $0.probabilities.count == classes })
        var worst: Float = 0
        for e in rows {
            let y = try model.predict(digits[e.row])
            let p = y.count == 1 ? [1 - y[0], y[0]] : y
            #expect(p.count == classes)
            #expect(Model.predictedClass(y) == e.label, "\(name) row \(e.row)")
            for (a, b) in zip(p, e.probabilities) { worst = max(worst, abs(a - b)) }
        }
        print("\(name): \(rows.count) rows, classes as onnxruntime, max |Δp| = \(worst)")
        return worst
    }

    // TinyNN's exp/tanh/sigmoid are within 2.5 ulp; the sums run in another
    // order than onnxruntime's: a few float32 ulps of a probability ≤ 1.
    static let tolerance: Float = 1e-5

    @Test func torchGemmReluSoftmax() throws {
        #expect(try Self.compare("torch-mlp", classes: 10) < Self.tolerance)
        let model = try Self.load("torch-mlp")
        #expect(model.network.widths == [64, 32, 10])
        #expect(model.network.activations == [.relu, .softmax] && model.network.loss == .crossEntropy)
        #expect(model.provenance?.summary == "pytorch 2.5.1")
        #expect(model.scaling.kind == .none)
    }

    @Test func torchLeakyReluAtTheCoreSlope() throws {
        #expect(try Self.compare("torch-leaky", classes: 10) < Self.tolerance)
        #expect(try Self.load("torch-leaky").network.activations == [.leakyReLU, .softmax])
    }

    @Test func tf2onnxReshapeMatMulAddTanh() throws {
        #expect(try Self.compare("tf2onnx-mlp", classes: 10) < Self.tolerance)
        let model = try Self.load("tf2onnx-mlp")
        #expect(model.network.activations == [.tanh, .softmax])
        #expect(model.provenance?.summary == "tf2onnx 1.16.1 15c810")
    }

    @Test func skl2onnxScalerAndClassifierHead() throws {
        #expect(try Self.compare("skl2onnx-mlp", classes: 10) < Self.tolerance)
        let model = try Self.load("skl2onnx-mlp")
        #expect(model.network.widths == [64, 24, 10] && model.scaling.kind == .standard)
        #expect(model.provenance?.producer == "skl2onnx")
        #expect(model.provenance?.notes.contains { $0.hasPrefix("dropped the classifier head") } == true)
    }

    @Test func skl2onnxBinaryHead() throws {
        #expect(try Self.compare("skl2onnx-binary", classes: 2) < Self.tolerance)
        let model = try Self.load("skl2onnx-binary")
        #expect(model.network.widths == [64, 16, 1])
        #expect(model.network.activations == [.sigmoid, .sigmoid] && model.network.loss == .binaryCrossEntropy)
        #expect(model.provenance?.notes.contains { $0.contains("[1 - p, p]") } == true)
    }

    @Test func float64InitializersConvertedWithANote() throws {
        let f32 = try Self.load("torch-mlp"), f64 = try Self.load("torch-f64")
        // Each float32 weight went through float64 and back exactly.
        #expect(f64.network.flatParameters == f32.network.flatParameters)
        #expect(f64.network.parameterCount == 64 * 32 + 32 + 32 * 10 + 10)
        #expect(f64.provenance?.notes.contains { $0.hasPrefix("float64 initializers converted") } == true)
        #expect(f32.provenance?.notes.contains { $0.hasPrefix("float64") } == false)
    }

    @Test func refusesConvNamingTheNode() throws {
        #expect(throws: ONNXImportError(file: "\(Self.fixtures)/torch-conv.onnx", problem:
            "node '/conv1/Conv' (Conv): not supported (TinyNN imports \(ONNXImport.supportedOps))")) {
            try Self.load("torch-conv")
        }
    }

    /// PyTorch's `LeakyReLU(0.2)`: the alpha becomes the layer's slope, bit for bit, and
    /// the outputs are onnxruntime's. The same weights at the default slope
    /// (torch-leaky) differ on some row by more than the tolerance, so the slope is used.
    @Test func leakyReluAlphaCarriedOver() throws {
        #expect(try Self.compare("torch-leaky2", classes: 10) < Self.tolerance)
        let model = try Self.load("torch-leaky2"), plain = try Self.load("torch-leaky")
        #expect(model.network.activations == [.leakyReLU, .softmax])
        #expect(model.network.leakySlopes.map(\.bitPattern) == [Float(0.2).bitPattern, Activation.defaultLeakySlope.bitPattern])
        #expect(model.network.flatParameters == plain.network.flatParameters)
        let differs = try Self.expected("torch-leaky2").contains { e in
            let (a, b) = (try model.predict(Self.digits[e.row]), try plain.predict(Self.digits[e.row]))
            return zip(a, b).contains { abs($0 - $1) > Self.tolerance }
        }
        #expect(differs)
        let back = try ModelFile.decode(ModelFile.encode(model), file: "m.tnn")
        #expect(back.network.leakySlopes == model.network.leakySlopes)
    }

    @Test func provenanceSurvivesTheModelFile() throws {
        let model = try Self.load("skl2onnx-binary")
        let back = try ModelFile.decode(ModelFile.encode(model), file: "m.tnn")
        #expect(back.provenance == model.provenance && back.provenance != nil)
        #expect(back.network.flatParameters == model.network.flatParameters)
        #expect(back.scaling.kind == .none)
    }
}
