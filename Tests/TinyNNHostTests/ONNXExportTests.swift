import Foundation
import Testing
import TinyNN
import TinyNNHost

/// `ONNXExport`: `tinynn import` reads what it writes back to the same bits,
/// and onnxruntime runs it (Fixtures/onnx/make-fixtures.py ran onnxruntime on
/// tinynn-digits.onnx, from tinynn-digits.tnn (a [64,16,10] model tinynn trained, min-max scaling),
/// and tinynn-leaky2.onnx, torch-leaky2 imported; the outputs are committed).
@Suite struct ONNXExportTests {
    static let fixtures = ONNXImportTests.fixtures

    /// The committed export, the model it was written from and its graph name.
    static func cases() throws -> [(name: String, model: Model, graph: String)] {
        [("tinynn-digits", try ModelFile.load("\(fixtures)/tinynn-digits.tnn"), "tinynn-digits"),
         ("tinynn-leaky2", try ONNXImportTests.load("torch-leaky2"), "torch-leaky2")]
    }

    static func bits(_ xs: [Float]) -> [UInt32] { xs.map(\.bitPattern) }

    /// Every number the graph carries, read back bit for bit.
    static func expectSameNetwork(_ back: Model, _ model: Model) {
        #expect(back.network.widths == model.network.widths)
        #expect(back.network.activations == model.network.activations)
        #expect(bits(back.network.flatParameters) == bits(model.network.flatParameters))
        #expect(bits(back.network.leakySlopes) == bits(model.network.leakySlopes))
        #expect(bits(back.scaling.offset) == bits(model.scaling.offset))
        #expect(bits(back.scaling.scale) == bits(model.scaling.scale))
        #expect((back.scaling.kind == .none) == (model.scaling.kind == .none))
    }

    /// The committed files are this writer's bytes, so onnxruntime's outputs
    /// beside them are outputs of what `export --onnx` writes today.
    @Test func committedExportsAreTheWritersBytes() throws {
        for c in try Self.cases() {
            let committed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(c.name).onnx")))
            #expect(ONNXExport.encode(c.model, graphName: c.graph) == committed, "regenerate with make-fixtures.py: \(c.name)")
        }
    }

    /// tinynn predict against onnxruntime on the export: the same class on
    /// every held-out row, probabilities within ``ONNXImportTests/tolerance``.
    @Test func onnxruntimeRunsTheExport() throws {
        for c in try Self.cases() {
            let rows = try ONNXImportTests.expected(c.name)
            #expect(rows.map(\.row) == Array(stride(from: 0, to: 1797, by: 5)))
            var worst: Float = 0
            for e in rows {
                let y = try c.model.predict(ONNXImportTests.digits[e.row])
                #expect(y.count == 10 && e.probabilities.count == 10)
                #expect(Model.predictedClass(y) == e.label, "\(c.name) row \(e.row)")
                for (a, b) in zip(y, e.probabilities) { worst = max(worst, abs(a - b)) }
            }
            print("\(c.name): \(rows.count) rows, classes as onnxruntime, max |Δp| = \(worst)")
            #expect(worst < ONNXImportTests.tolerance)
        }
    }

    @Test func importReadsTheExportBackToTheSameBits() throws {
        for c in try Self.cases() {
            let back = try ONNXImport.convert(ONNXExport.encode(c.model, graphName: c.graph), file: "\(c.name).onnx")
            Self.expectSameNetwork(back, c.model)
            #expect(back.provenance?.producer == "tinynn")
            #expect(back.network.loss == c.model.network.loss)
        }
    }

    /// Every activation, an identity hidden and output layer, standard scaling.
    @Test func everyActivationRoundTrips() throws {
        let net = try Network(widths: [5, 6, 4, 4, 3, 3], activations: [.tanh, .leakyReLU, .relu, .identity, .identity],
                              loss: .quadratic)
        net.initialize(seed: 9)
        try net.setLeakySlope(-0.37, layer: 1)
        let scaling = FeatureScaling(kind: .standard, offset: [0.5, -1, 2, 0, 3e-3], scale: [2, 0.25, 1, 7, 1e3])
        let model = Model(network: net, scaling: scaling)
        let bytes = ONNXExport.encode(model, graphName: "all")
        let back = try ONNXImport.convert(bytes, file: "all.onnx")
        Self.expectSameNetwork(back, model)
        #expect(back.network.loss == .quadratic)
        let x: [Float] = [1, 2, -3, 0.5, 9]
        #expect(Self.bits(try back.predict(x)) == Self.bits(try model.predict(x)))
        // The comparison sees a change: one flipped bit in the last bias.
        let last = net.biases(4)[2].bitPattern
        let at = (0..<(bytes.count - 3)).last { k in (0..<4).allSatisfy { bytes[k + $0] == UInt8(truncatingIfNeeded: last >> (8 * UInt32($0))) } }!
        var flipped = bytes; flipped[at] ^= 1
        let changed = try ONNXImport.convert(flipped, file: "all.onnx")
        #expect(Self.bits(changed.network.flatParameters) != Self.bits(model.network.flatParameters))
        #expect(zip(changed.network.flatParameters, model.network.flatParameters).filter { $0.0.bitPattern != $0.1.bitPattern }.count == 1)
    }
}
