import Foundation
import Testing
import TinyNN
import TinyNNHost

/// Test vectors, the held-out split they repeat, the bit-dump line format and
/// the firmware comparison, on the label-first data set Data/wine3.
@Suite struct TestVectorsTests {
    static let wine = "\(packageRoot)/Data/wine3/wine3.csv"

    static func wineData() throws -> Dataset {
        try CSVTable.read(wine).dataset(labelColumn: .init("class"))
    }

    /// A small trained model on wine3 (13 -> 8 -> 3), and the rows it held out.
    static func wineModel(seed: UInt64 = 5) throws -> (Model, Dataset) {
        let all = try wineData()
        let (train, test) = all.split(holdingOut: 0.2, seed: TrainingSeeds(seed).split)
        let network = try Network(widths: [13, 8, 3], activations: [.sigmoid, .softmax], loss: .crossEntropy)
        let scaling = FeatureScaling.fit(.minMax, to: train)
        network.initialize(seed: TrainingSeeds(seed).initialization, initializer: nil)
        let trainer = Trainer(optimizer: .sgd(learningRate: 0.5, weightDecay: 0), batchSize: 10, epochs: 3,
                              seed: TrainingSeeds(seed).shuffle)
        _ = try trainer.train(network, on: scaling.apply(to: train), test: scaling.apply(to: test!), report: { _ in })
        let record = TrainingRecord(optimizer: .sgd(learningRate: 0.5, weightDecay: 0), initializer: nil, batchSize: 10,
                                    epochs: 3, seed: seed, trainingSamples: train.count, testSamples: test!.count,
                                    classCount: 3, trainingLoss: 0, accuracy: 0, testLoss: 0)
        return (Model(network: network, scaling: scaling, training: record), test!)
    }

    @Test func labelInTheFirstColumnIsNotAFeature() throws {
        let all = try Self.wineData()
        #expect(all.featureCount == 13 && all.count == 180 && all.classCount == 3)
        // Row 1 of the file: "0,<13 features>": the label 0 and the features after it.
        let line = try String(contentsOfFile: Self.wine, encoding: .utf8).split(separator: "\n")[1]
        let fields = line.split(separator: ",").map { Float(String($0))! }
        #expect(all.labels[0] == Int(fields[0]))
        #expect(Array(all.sample(0)) == Array(fields.dropFirst()))
    }

    @Test func heldOutRowsAreTheSplitsTestPart() throws {
        let all = try Self.wineData()
        let v = try TestVectors(all, source: "wine3.csv", heldOut: 0.2, seed: 5)
        let (train, test) = all.split(holdingOut: 0.2, seed: 7)  // TrainingSeeds(5).split: 5 + 2
        #expect(v.count == 36 && test!.count == 36 && train.count == 144)
        #expect(v.data.features == test!.features && v.data.labels == test!.labels)
        // Disjoint from the training rows, and together they are every row.
        let rows = Set((0..<all.count).map { Array(all.sample($0)) })
        let held = Set((0..<v.count).map { Array(v.data.sample($0)) })
        let trained = Set((0..<train.count).map { Array(train.sample($0)) })
        #expect(held.isDisjoint(with: trained) && held.union(trained) == rows)
        // Another seed holds out other rows.
        let other = try TestVectors(all, source: "wine3.csv", heldOut: 0.2, seed: 6)
        #expect(other.data.features != v.data.features)
        #expect(try TestVectors(all, source: "x", heldOut: 0.2, seed: 5, rows: 4).count == 4)
        #expect(throws: NetworkError.self) { try TestVectors(all, source: "x", heldOut: 0.001, seed: 5) }
    }

    @Test func headerLiteralsReadBackExactly() throws {
        let v = try TestVectors(try Self.wineData(), source: "wine3.csv", heldOut: 0.2, seed: 5)
        let h = v.header()
        #expect(h.contains("#define TINYNN_VECTORS_COUNT 36\n"))
        #expect(h.contains("#define TINYNN_VECTORS_FEATURES 13\n"))
        #expect(h.contains("#define TINYNN_VECTORS_CRC32 \(ModelFile.hex(v.checksum))u\n"))
        let body = h[h.range(of: "= {\n")!.upperBound..<h.range(of: "};")!.lowerBound]
        let values = body.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == " " })
            .map { Float(String($0.dropLast()))! }  // drop the f suffix
        #expect(values.map(\.bitPattern) == v.data.features.map(\.bitPattern))
        // The checksum is CRC-32 of the features' little-endian bytes.
        var bytes: [UInt8] = []
        for f in v.data.features { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes += $0 } }
        #expect(v.checksum == crc32(bytes))
    }

    @Test func bitDumpLines() {
        let y: [Float] = [0.25, -0.0, .leastNonzeroMagnitude, 1]
        let line = BitDump.line(7, y)
        #expect(line == "y 7 0x3e800000 0x80000000 0x00000001 0x3f800000")
        let parsed = BitDump.parse(Substring(line))
        #expect(parsed?.index == 7 && parsed?.bits == y.map(\.bitPattern))
        #expect(BitDump.parse("y 1 3e800000") == nil)
        #expect(BitDump.parse("x 1 0x3e800000") == nil)
        #expect(BitDump.modelLine(0xabc) == "model crc 0x00000abc")
        #expect(BitDump.vectorsLine(3, 1) == "vectors 3 crc 0x00000001")
    }

    @Test func expectedLinesAreTheModelsBits() throws {
        let (model, test) = try Self.wineModel()
        let v = try TestVectors(try Self.wineData(), source: "wine3.csv", heldOut: 0.2, seed: 5)
        let lines = try v.expected(for: model)
        #expect(lines.count == 2 + 36)
        #expect(lines[0] == "model crc \(ModelFile.hex(CHeader.parameterCRC(model.network)))")
        #expect(lines[1] == "vectors 36 crc \(ModelFile.hex(v.checksum))")
        #expect(lines[2 + 5] == BitDump.line(5, try model.predict(Array(test.sample(5)))))
    }

    @Test func firmwareCheckCatchesEveryDifference() throws {
        let (model, _) = try Self.wineModel()
        let v = try TestVectors(try Self.wineData(), source: "wine3.csv", heldOut: 0.2, seed: 5)
        let expected = try v.expected(for: model)
        let firmware = "inference: host\nmodel 13-8-3\n" + expected.joined(separator: "\n") + "\nstack peak 1\n"
        let equal = FirmwareCheck(expected: expected, output: firmware, labels: v.data.labels)
        #expect(equal.isEqual && equal.rows == 36 && equal.outputs == 108 && equal.classesAgreeing == 36)
        let predicted = (0..<36).filter { Model.predictedClass(try! model.predict(Array(v.data.sample($0)))) == v.data.labels[$0] }
        #expect(equal.correct == predicted.count)

        // One flipped bit: row 17, output 2.
        var lines = expected
        var row = BitDump.parse(Substring(lines[2 + 17]))!.bits
        row[2] ^= 1
        lines[2 + 17] = BitDump.line(17, row.map(Float.init(bitPattern:)))
        let flipped = FirmwareCheck(expected: expected, output: lines.joined(separator: "\n"), labels: [])
        #expect(!flipped.isEqual && flipped.rows == 36)
        #expect(flipped.firstDifference?.hasPrefix("row 17 output 2: host \(ModelFile.hex(row[2] ^ 1)) (") == true)

        // Other vectors (the same model on other rows): refused, nothing compared.
        let other = try TestVectors(try Self.wineData(), source: "wine3.csv", heldOut: 0.2, seed: 6).expected(for: model)
        let refused = FirmwareCheck(expected: expected, output: other.joined(separator: "\n"), labels: [])
        #expect(refused.refusal?.contains("other vectors") == true && refused.rows == 0)
        // No identity lines, missing rows.
        #expect(FirmwareCheck(expected: expected, output: expected.dropFirst(2).joined(separator: "\n"), labels: []).refusal != nil)
        let short = FirmwareCheck(expected: expected, output: expected.dropLast().joined(separator: "\n"), labels: [])
        #expect(short.firstDifference == "the firmware printed 35 of the 36 rows")
    }

    /// `tinynn vectors` and `tinynn predict --bits` print the firmware's lines.
    @Test func vectorsAndPredictBitsCommands() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = "\(dir)/wine.tnn"
        let train = try runProcess(tinynnPath, ["train", "--data", Self.wine, "--label-column", "0", "--layers", "13,8,3",
                                                "--epochs", "2", "--seed", "5", "--output", model])
        try #require(train.status == 0, "\(train.stderr)")
        let run = try runProcess(tinynnPath, ["vectors", "--data", Self.wine, "--label-column", "class",
                                              "--validation-split", "0.2", "--seed", "5", "--header", "\(dir)/v.h",
                                              "--model", model, "--expected", "\(dir)/e.txt"])
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try String(contentsOfFile: "\(dir)/e.txt", encoding: .utf8).split(separator: "\n")
        #expect(expected.count == 38)
        let v = try TestVectors(try Self.wineData(), source: "wine3.csv", heldOut: 0.2, seed: 5)
        #expect(try String(contentsOfFile: "\(dir)/v.h", encoding: .utf8) == v.header())
        // predict --bits on the first rows of the file: the same line format.
        let predict = try runProcess(tinynnPath, ["predict", model, "--data", Self.wine, "--label-column", "class",
                                                  "--limit", "3", "--bits"])
        let m = try ModelFile.load(model)
        let all = try Self.wineData()
        #expect(predict.stdout == (0..<3).map { BitDump.line($0, try! m.predict(Array(all.sample($0)))) + "\n" }.joined())
        // tinynn verify on a saved firmware output: equal, then one flipped bit.
        var firmware = ["inference: host"] + expected.map(String.init) + ["inference: done"]
        try (firmware.joined(separator: "\n") + "\n").write(toFile: "\(dir)/f.txt", atomically: true, encoding: .utf8)
        let same = try runProcess(tinynnPath, ["verify", model, "--expected", "\(dir)/e.txt", "--firmware-output", "\(dir)/f.txt"])
        #expect(same.status == 0 && same.stdout.contains(" 36    108      yes "), "\(same.stdout)\(same.stderr)")
        var bits = BitDump.parse(Substring(firmware[1 + 2 + 4]))!.bits
        bits[1] ^= 0x8000_0000
        firmware[1 + 2 + 4] = BitDump.line(4, bits.map(Float.init(bitPattern:)))
        try (firmware.joined(separator: "\n") + "\n").write(toFile: "\(dir)/f.txt", atomically: true, encoding: .utf8)
        let flipped = try runProcess(tinynnPath, ["verify", model, "--expected", "\(dir)/e.txt", "--firmware-output", "\(dir)/f.txt"])
        #expect(flipped.status == 1 && flipped.stderr.contains("first difference: row 4 output 1: host 0x"), "\(flipped.stderr)")
        // The label read from the wrong (last) column: a clear error, exit 1, nothing written.
        let wrong = try runProcess(tinynnPath, ["vectors", "--data", Self.wine, "--header", "\(dir)/w.h",
                                                "--model", model, "--expected", "\(dir)/w.txt"])
        #expect(wrong.status == 1 && wrong.stderr.contains("not a class number"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/w.h"))
    }
}

/// `tinynn export --bits`: the model file's values as the train firmware prints them.
@Suite struct ModelValuesTests {
    @Test func modelValuesAreTheFilesBytes() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let network = try Network(widths: [2, 3, 1], activations: [.sigmoid, .sigmoid], loss: .quadratic)
        network.initialize(seed: 3, initializer: nil)
        let record = TrainingRecord(optimizer: .sgd(learningRate: 0.75, weightDecay: 0), initializer: nil, batchSize: 4,
                                    epochs: 1, seed: 3, trainingSamples: 4, testSamples: 0, classCount: 2,
                                    trainingLoss: 0.125, accuracy: 1, testLoss: .nan)
        let model = Model(network: network, training: record)
        try ModelFile.save(model, to: "\(dir)/m.tnn")
        let lines = BitDump.modelValues(try ModelFile.load("\(dir)/m.tnn"), name: "xor")
        #expect(lines.count == 2 + 13)
        #expect(lines[0] == "xor loss 0x3e000000" && lines[1] == "xor eta 0x3f400000")
        let p = network.flatParameters
        #expect(lines[2] == "xor w1[0][0] \(BitDump.bits(p[0]))")
        #expect(lines[3] == "xor w1[0][1] \(BitDump.bits(p[1]))")
        #expect(lines[2 + 6] == "xor b1[0] \(BitDump.bits(p[6]))")
        #expect(lines[2 + 9] == "xor w2[0][0] \(BitDump.bits(p[9]))")
        #expect(lines.last == "xor b2[0] \(BitDump.bits(p[12]))")
        let cli = try runProcess(tinynnPath, ["export", "\(dir)/m.tnn", "--bits", "--name", "xor"])
        #expect(cli.status == 0 && cli.stdout == lines.joined(separator: "\n") + "\n")
    }
}
