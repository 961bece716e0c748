import Foundation
import Testing
import TinyNN
import TinyNNHost

/// `tinynn import` and `train --init-from` as a user runs them.
@Suite(.serialized) struct ImportCommandTests {
    static let fixtures = ONNXImportTests.fixtures
    static let digits = "\(packageRoot)/Data/digits/digits.csv"

    func tinynn(_ arguments: String..., in dir: String) throws -> ProcessResult {
        try #require(FileManager.default.isExecutableFile(atPath: tinynnPath), "tinynn not built at \(tinynnPath)")
        return try runProcess(tinynnPath, arguments, in: dir)
    }

    func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    @Test func importsThenPredictsAsOnnxruntime() throws {
        try withDirectory { dir in
            let r = try tinynn("import", "\(Self.fixtures)/tf2onnx-mlp.onnx", "--output", "tf.tnn", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("wrote tf.tnn: 64 -> 32 tanh -> 10 softmax, 2410 parameters, from tf2onnx 1.16.1 15c810\n"))
            let info = try tinynn("info", "tf.tnn", in: dir)
            #expect(info.stdout.contains("  origin      tf2onnx 1.16.1 15c810\n"))
            // The first 50 digits rows: the first 10 held-out rows (0, 5, …, 45) are in the fixture.
            let p = try tinynn("predict", "tf.tnn", "--data", Self.digits, "--limit", "50", in: dir)
            #expect(p.status == 0, "\(p.stderr)")
            let lines = p.stdout.split(separator: "\n")
            #expect(lines.count == 50)
            let expected = try ONNXImportTests.expected("tf2onnx-mlp").prefix(10)
            for e in expected {
                let f = lines[e.row].split(separator: " ")
                #expect(Int(f[0]) == e.label, "row \(e.row)")
                for (a, b) in zip(f.dropFirst().map { Float($0)! }, e.probabilities) { #expect(abs(a - b) < 1e-5) }
            }
        }
    }

    @Test func refusesConvWithOneLineAndWritesNothing() throws {
        try withDirectory { dir in
            let r = try tinynn("import", "\(Self.fixtures)/torch-conv.onnx", "--output", "conv.tnn", in: dir)
            #expect(r.status == 1)
            #expect(r.stderr.hasSuffix("torch-conv.onnx: node '/conv1/Conv' (Conv): not supported (TinyNN imports"
                                       + " \(ONNXImport.supportedOps))\n"))
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/conv.tnn"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        }
    }

    @Test func fineTunesAnImportedModel() throws {
        try withDirectory { dir in
            #expect(try tinynn("import", "\(Self.fixtures)/skl2onnx-mlp.onnx", "--output", "s.tnn", in: dir).status == 0)
            let start = try ModelFile.load("\(dir)/s.tnn")
            // --patience 0 keeps the last epoch (the start, 99.7% on these rows, would be kept otherwise).
            let r = try tinynn("train", "--init-from", "s.tnn", "--data", Self.digits, "--epochs", "2", "--eta", "0.01",
                               "--patience", "0", "--output", "tuned.tnn", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let tuned = try ModelFile.load("\(dir)/tuned.tnn")
            #expect(tuned.network.widths == start.network.widths && tuned.network.activations == start.network.activations)
            #expect(tuned.scaling.offset == start.scaling.offset && tuned.scaling.scale == start.scaling.scale)
            #expect(tuned.network.flatParameters != start.network.flatParameters, "training moved the parameters")
            // It started from a 97% model: two gentle epochs stay well above what 2 epochs from scratch reach.
            #expect(tuned.training.accuracy > 0.95)
            #expect(tuned.provenance?.notes.last == "fine-tuned by tinynn train from s.tnn")
            // The summary says where training started, not a random initialization it did not do.
            #expect(r.stdout.contains("started from a model's parameters") && !r.stdout.contains("xavier/he init"))
            #expect(tuned.training.startedFromModel)
            let clash = try tinynn("train", "--init-from", "s.tnn", "--layers", "64,10", "--data", Self.digits, in: dir)
            #expect(clash.status == 2 && clash.stderr.contains("--layers cannot change them"))
        }
    }

    /// Early stopping while fine-tuning counts the starting parameters as epoch 0:
    /// a learning rate that only makes the model worse keeps the start, bit for bit.
    @Test func earlyStoppingWithInitFromKeepsABetterStart() throws {
        try withDirectory { dir in
            #expect(try tinynn("import", "\(Self.fixtures)/skl2onnx-mlp.onnx", "--output", "s.tnn", in: dir).status == 0)
            let start = try ModelFile.load("\(dir)/s.tnn")
            let r = try tinynn("train", "--init-from", "s.tnn", "--data", Self.digits, "--optimizer", "adam", "--eta", "0.2",
                               "--epochs", "30", "--patience", "3", "--output", "worse.tnn", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let kept = try ModelFile.load("\(dir)/worse.tnn")
            #expect(kept.stopping?.keptEpoch == 0 && kept.stopping?.epochsRun == 3, "\(r.stdout)")
            #expect((r.stdout + r.stderr).contains("kept the starting parameters (epoch 0)"))
            #expect(kept.network.flatParameters.map(\.bitPattern) == start.network.flatParameters.map(\.bitPattern))
            // From a one-epoch model a gentle rate improves on the start: some epoch after 0 is kept.
            #expect(try tinynn("train", "--data", Self.digits, "--epochs", "1", "--output", "weak.tnn", in: dir).status == 0)
            let g = try tinynn("train", "--init-from", "weak.tnn", "--data", Self.digits, "--eta", "0.0003",
                               "--epochs", "4", "--patience", "3", "--output", "better.tnn", in: dir)
            #expect(g.status == 0, "\(g.stderr)")
            #expect(try ModelFile.load("\(dir)/better.tnn").stopping.map { $0.keptEpoch >= 1 } == true, "\(g.stdout)")
        }
    }
}
