import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The `.tnn` format: an exact round trip, a fixed layout, the same bytes
/// for the same inputs, and one clear error for each kind of damage.
struct ModelFileTests {
    /// A small trained model on the digits data, with min-max scaling.
    static func trainedModel(epochs: Int = 2, seed: UInt64 = 7) throws -> Model {
        let all = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 400).dataset(classCount: 10)
        let (train, test) = all.split(holdingOut: 0.25, seed: seed)
        let scaling = FeatureScaling.fit(.minMax, to: train)
        let net = try Network(widths: [64, 12, 10], activations: [.tanh, .softmax], loss: .crossEntropy)
        net.initialize(seed: seed)
        let optimizer = Optimizer.momentum(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4)
        let reports = try Trainer(optimizer: optimizer, batchSize: 8, epochs: epochs, seed: seed)
            .train(net, on: scaling.apply(to: train))
        let e = evaluate(net, on: scaling.apply(to: test!))
        let record = TrainingRecord(optimizer: optimizer, initializer: nil, batchSize: 8, epochs: epochs, seed: seed,
                                    trainingSamples: train.count, testSamples: test!.count, classCount: 10,
                                    trainingLoss: reports.last?.trainCost ?? .nan, accuracy: Float(e.accuracy), testLoss: e.cost)
        return Model(network: net, scaling: scaling, training: record)
    }

    static func bits(_ xs: [Float]) -> [UInt32] { xs.map(\.bitPattern) }

    @Test func roundTripIsExact() throws {
        let model = try Self.trainedModel()
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFile.save(model, to: "\(dir)/m.tnn")
        let back = try ModelFile.load("\(dir)/m.tnn")
        #expect(back.network.widths == [64, 12, 10])
        #expect(back.network.activations == [.tanh, .softmax])
        #expect(back.network.loss == .crossEntropy)
        #expect(Self.bits(back.network.flatParameters) == Self.bits(model.network.flatParameters))
        #expect(back.scaling.kind == .minMax)
        #expect(Self.bits(back.scaling.offset + back.scaling.scale) == Self.bits(model.scaling.offset + model.scaling.scale))
        #expect(back.training == model.training)
        // And the loaded model computes the same outputs, bit for bit.
        let x = (0..<64).map { Float($0 % 17) }
        #expect(Self.bits(try back.predict(x)) == Self.bits(try model.predict(x)))
    }

    /// Offsets from the format's doc comment, read back from real bytes.
    @Test func layoutMatchesTheDocumentation() throws {
        let model = try Self.trainedModel(epochs: 1)
        let b = ModelFile.encode(model)
        func u32(_ k: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[k + $1]) << (8 * UInt32($1)) } }
        #expect(Array(b[0..<8]) == [0x89, 0x54, 0x4E, 0x4E, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(u32(8) == 2, "version")
        #expect(Int(u32(12)) == b.count, "file size")
        #expect(Array(b[16..<21]) == [2, Loss.crossEntropy.rawValue, 1, 0, Optimizer.Kind.momentum.rawValue])
        #expect(u32(24) == Float(0.05).bitPattern, "η")
        #expect(u32(28) == Float(0.9).bitPattern, "μ")
        #expect(u32(40) == Float(1e-4).bitPattern, "λ")
        #expect(u32(48) == 8 && u32(52) == 1 && u32(56) == 7 && u32(60) == 0, "batch, epochs, seed")
        #expect(u32(72) == 10, "classes")
        #expect([u32(88), u32(92), u32(96)] == [64, 12, 10], "widths")
        #expect(Array(b[100..<104]) == [Activation.tanh.rawValue, Activation.softmax.rawValue, 0, 0])
        let scalingStart = 104, parameterStart = scalingStart + 8 * 64
        #expect(u32(scalingStart + 4 * 64) == model.scaling.scale[0].bitPattern, "scale follows the 64 offsets")
        #expect(u32(parameterStart) == model.network.weights(0)[0].bitPattern, "w1[0][0]")
        let b2 = parameterStart + 4 * (64 * 12 + 12 + 12 * 10)
        #expect(u32(b2) == model.network.biases(1)[0].bitPattern, "b2[0] after w1, b1, w2")
        #expect(b.count == b2 + 4 * 10 + 4)
        #expect(u32(b.count - 4) == crc32(b[0..<(b.count - 4)]))
    }

    @Test func sameInputsSameBytes() throws {
        let a = ModelFile.encode(try Self.trainedModel())
        let b = ModelFile.encode(try Self.trainedModel())
        let c = ModelFile.encode(try Self.trainedModel(seed: 8))
        #expect(a == b)
        #expect(a != c, "a different seed must give a different model")
    }

    func problem(_ bytes: [UInt8]) -> String {
        do {
            _ = try ModelFile.decode(bytes, file: "m.tnn")
            return "no error"
        } catch { return error.description }
    }

    /// Recomputes the trailing CRC so that a deliberate inconsistency gets past it.
    func resealed(_ b: [UInt8]) -> [UInt8] {
        var b = b
        let c = crc32(b[0..<(b.count - 4)])
        for k in 0..<4 { b[b.count - 4 + k] = UInt8(truncatingIfNeeded: c >> (8 * UInt32(k))) }
        return b
    }

    @Test func damageGivesOneClearError() throws {
        let good = ModelFile.encode(try Self.trainedModel(epochs: 1))
        #expect(problem(good) == "no error")
        #expect(problem(Array("x,y,label\n1,2,0\n".utf8)) == "m.tnn: not a TinyNN model file (wrong magic number)")
        #expect(problem([]) == "m.tnn: not a TinyNN model file (wrong magic number)")
        #expect(problem(Array(good[0..<10])) == "m.tnn: truncated: 10 bytes, too short for the header")
        #expect(problem(Array(good.dropLast(5))) == "m.tnn: truncated: \(good.count - 5) bytes, the header says \(good.count)")
        #expect(problem(good + [0]) == "m.tnn: 1 unexpected bytes after the \(good.count) the header describes")
        var v3 = good; v3[8] = 3
        #expect(problem(v3) == "m.tnn: model file format version 3; this tinynn reads versions 1 and 2")
        var flipped = good; flipped[700] ^= 0x10
        #expect(problem(flipped).hasPrefix("m.tnn: CRC-32 mismatch (stored 0x"))
        #expect(problem(flipped).hasSuffix("): the file is damaged"))
        var wider = good; wider[92] = 13  // hidden width 12 → 13 without more parameters
        #expect(problem(resealed(wider)).hasPrefix("m.tnn: inconsistent sizes: layers 64,13,10 need "))
        var nine = good; nine[16] = 9
        #expect(problem(resealed(nine)) == "m.tnn: inconsistent: 9 layers (1 to 8 allowed)")
        var activation = good; activation[100] = 9
        #expect(problem(resealed(activation)) == "m.tnn: inconsistent: unknown activation 9 in layer 1")
        var nan = good; let p = 104 + 8 * 64
        for k in 0..<4 { nan[p + k] = [0x00, 0x00, 0xC0, 0x7F][k] }
        #expect(problem(resealed(nan)) == "m.tnn: inconsistent: layer 1 holds NaN or infinity")
    }

    @Test func missingFileNamesIt() {
        do {
            _ = try ModelFile.load("/nonexistent/m.tnn")
            Issue.record("no error")
        } catch {
            #expect(error.description == "/nonexistent/m.tnn: No such file or directory")
        }
    }

    /// The new bytes go to a new file renamed over the old name: a hard link
    /// to the old file still sees the old bytes (an in-place write would
    /// change both, and a crash half-way would leave a damaged file).
    @Test func writesViaRename() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/m.tnn"
        try FileIO.writeAtomically("old contents", to: path)
        try FileManager.default.linkItem(atPath: path, toPath: "\(dir)/old-link")
        let model = try Self.trainedModel(epochs: 0)
        try ModelFile.save(model, to: path)
        #expect(try String(contentsOfFile: "\(dir)/old-link", encoding: .utf8) == "old contents")
        #expect(try ModelFile.load(path).network.widths == [64, 12, 10])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["m.tnn", "old-link"])
    }

    /// A write that fails (here the rename, onto a directory) removes its
    /// temporary file and leaves what was there.
    @Test func failedWriteLeavesNothingBehind() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/m.tnn", withIntermediateDirectories: false)
        try FileIO.writeAtomically("keep", to: "\(dir)/m.tnn/inside")
        #expect(throws: FileError.self) { try ModelFile.save(try Self.trainedModel(epochs: 0), to: "\(dir)/m.tnn") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.tnn"], "no temporary file left")
        #expect(try String(contentsOfFile: "\(dir)/m.tnn/inside", encoding: .utf8) == "keep")
    }

    // MARK: - Sections

    /// A model with a provenance section; its file ends in `ORIG`, length, payload, padding, CRC.
    static func importedModel() throws -> Model {
        var m = try trainedModel(epochs: 1)
        m.provenance = Provenance(producer: "pytorch", producerVersion: "2.5.1", notes: ["float64 → float32"])
        return m
    }

    @Test func sectionsRoundTrip() throws {
        let model = try Self.importedModel()
        let bytes = ModelFile.encode(model)
        let plain = ModelFile.encode(try Self.trainedModel(epochs: 1))
        // ORIG, length, then 4+7 + 4+5 + 4 + 4+19 (UTF-8 of "→" is 3 bytes) = 47 payload bytes, 1 of padding.
        let start = plain.count - 4
        #expect(Array(bytes[start..<(start + 4)]) == Array("ORIG".utf8))
        #expect(bytes[start + 4] == 47 && bytes.count == plain.count + 8 + 48)
        let back = try ModelFile.decode(bytes, file: "m.tnn")
        #expect(back.provenance == model.provenance)
        #expect(Self.bits(back.network.flatParameters) == Self.bits(model.network.flatParameters))
        #expect(try ModelFile.decode(plain, file: "m.tnn").provenance == nil)
    }

    /// A version-1 file (no sections) is still read.
    @Test func versionOneIsRead() throws {
        var v1 = ModelFile.encode(try Self.trainedModel(epochs: 1)); v1[8] = 1
        let back = try ModelFile.decode(resealed(v1), file: "m.tnn")
        #expect(back.network.widths == [64, 12, 10])
        // Version 1 has no sections: bytes after the parameters are an error.
        var withORIG = ModelFile.encode(try Self.importedModel()); withORIG[8] = 1
        #expect(problem(resealed(withORIG)).hasPrefix("m.tnn: inconsistent sizes: layers 64,12,10 need "))
    }

    @Test func damagedSectionsGiveOneClearError() throws {
        let good = ModelFile.encode(try Self.importedModel())
        let start = ModelFile.encode(try Self.trainedModel(epochs: 1)).count - 4
        var unknown = good; unknown[start] = UInt8(ascii: "X")
        #expect(problem(resealed(unknown)) == "m.tnn: section 'XRIG': unknown section (written by a newer tinynn?)")
        var long = good; long[start + 4] = 200
        #expect(problem(resealed(long)) == "m.tnn: inconsistent: section 'ORIG' at offset \(start) says 200 bytes, 48 remain")
        var short = good; short[start + 4] = 46
        #expect(problem(resealed(short)) == "m.tnn: inconsistent: section 'ORIG' is not zero-padded to 4 bytes")
        var notes = good; notes[start + 8 + 4 + 7 + 4 + 5] = 2  // two notes, one present
        #expect(problem(resealed(notes)).hasPrefix("m.tnn: section 'ORIG': truncated: note 2's length needs 4 bytes"))
        var tag = good; tag[start] = 0
        #expect(problem(resealed(tag)) == "m.tnn: inconsistent: the section at offset \(start) has no ASCII tag")
        // The same section twice: splice a copy of it before the CRC and fix the size field.
        var twice = Array(good.dropLast(4)) + Array(good[start..<(good.count - 4)]) + [0, 0, 0, 0]
        let size = UInt32(twice.count)
        for k in 0..<4 { twice[12 + k] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(k))) }
        #expect(problem(resealed(twice)) == "m.tnn: inconsistent: section 'ORIG' appears twice")
        // Every truncation of the sections (size field patched, CRC resealed) is one clear error, no trap.
        for cut in stride(from: start + 1, to: good.count - 4, by: 1) {
            var t = Array(good[0..<cut]) + [0, 0, 0, 0]
            let n = UInt32(t.count)
            for k in 0..<4 { t[12 + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
            #expect(problem(resealed(t)).hasPrefix("m.tnn: "), "cut at \(cut)")
            #expect(problem(resealed(t)) != "no error", "cut at \(cut)")
        }
    }

    // MARK: - Leaky ReLU slopes (LEAK)

    /// `[8, 5, 3]` leaky-relu/softmax with the hidden slope `slope`.
    static func leakyModel(slope: Float) throws -> Model {
        let net = try Network(widths: [8, 5, 3], activations: [.leakyReLU, .softmax], loss: .crossEntropy)
        net.initialize(seed: 3)
        try net.setLeakySlope(slope, layer: 0)
        return Model(network: net)
    }

    @Test func leakySlopeRoundTripsInItsSection() throws {
        let model = try Self.leakyModel(slope: 0.2)
        let bytes = ModelFile.encode(model)
        let plain = ModelFile.encode(try Self.leakyModel(slope: Activation.defaultLeakySlope))
        // LEAK, length 12: u32 2, then the slopes 0.2 and the default; plain has no section at all.
        let start = plain.count - 4
        #expect(Array(bytes[start..<(start + 4)]) == Array("LEAK".utf8) && bytes[start + 4] == 12)
        #expect(bytes.count == plain.count + 8 + 12)
        #expect(!String(decoding: plain, as: UTF8.self).contains("LEAK"))
        let back = try ModelFile.decode(bytes, file: "m.tnn")
        #expect(Self.bits(back.network.leakySlopes) == [Float(0.2).bitPattern, Activation.defaultLeakySlope.bitPattern])
        #expect(ModelFile.encode(back) == bytes)
        // A file without the section (every older file) reads with the default slope.
        #expect(try ModelFile.decode(plain, file: "m.tnn").network.leakySlopes == [0.01, 0.01])
        // The slope reaches the forward pass: 0.2 and 0.01 give other outputs on a negative z.
        let x: [Float] = (0..<8).map { Float($0) - 6 }
        #expect(try back.network.predict(x) != ModelFile.decode(plain, file: "m.tnn").network.predict(x))
        #expect(try back.network.predict(x) == model.network.predict(x))
    }

    @Test func damagedLeakSectionGivesOneClearError() throws {
        let good = ModelFile.encode(try Self.leakyModel(slope: 0.2))
        let start = ModelFile.encode(try Self.leakyModel(slope: Activation.defaultLeakySlope)).count - 4
        func slope(_ l: Int, _ x: Float) -> [UInt8] {
            var b = good
            for k in 0..<4 { b[start + 12 + 4 * l + k] = UInt8(truncatingIfNeeded: x.bitPattern >> (8 * UInt32(k))) }
            return resealed(b)
        }
        #expect(problem(slope(0, Activation.defaultLeakySlope))
                == "m.tnn: section 'LEAK': every slope is the default 0.01 (the section is written only when one is not)")
        #expect(problem(slope(1, 0.3)) == "m.tnn: section 'LEAK': layer 2 is softmax, not leaky-relu: it has no slope to set")
        #expect(problem(slope(0, .nan)) == "m.tnn: section 'LEAK': layer 1's leaky ReLU slope is nan")
        var count = good; count[start + 8] = 3
        #expect(problem(resealed(count)) == "m.tnn: section 'LEAK': 3 slopes for 2 layers")
        #expect(problem(slope(0, -0.5)) == "no error")
    }

    /// `train --init-from` is recorded as such (initializer byte 4), not as a random initialization.
    @Test func startedFromAModelIsRecorded() throws {
        var model = try Self.trainedModel(epochs: 1)
        model.training.startedFromModel = true
        let bytes = ModelFile.encode(model)
        #expect(bytes[19] == 4)
        let back = try ModelFile.decode(bytes, file: "m.tnn")
        #expect(back.training.startedFromModel && back.training.initializer == nil)
        #expect(back.training.summary.contains("started from a model's parameters"))
        #expect(!back.training.summary.contains("init;"))
        #expect(try !ModelFile.decode(ModelFile.encode(Self.trainedModel(epochs: 1)), file: "m.tnn").training.startedFromModel)
    }
}
