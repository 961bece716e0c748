/// One fuzz input through a loader and through everything the loaded value
/// feeds in the tools (formatting, schema checks, re-encoding, C export,
/// prediction). Shared by `Scripts/fuzz` (libFuzzer, coverage-guided) and
/// the test suite (a seeded smoke run and the replay of past crashes in
/// `Fuzz/crashes/`). Bad input must come back as a thrown error: a trap here
/// is a bug, and so is a model file that does not re-encode to its own bytes.
public enum FuzzTarget {
    public enum Format: String, CaseIterable, Sendable { case csv, idx, gzip, tnn }

    /// Runs `bytes` as `format`; returns whether the loader accepted them.
    @discardableResult
    public static func run(_ format: Format, _ bytes: [UInt8]) -> Bool {
        switch format {
        case .csv: csv(bytes)
        case .idx: idx(bytes)
        case .gzip: gzip(bytes)
        case .tnn: tnn(bytes)
        }
    }

    static func csv(_ bytes: [UInt8]) -> Bool {
        guard let table = try? CSVTable(parsing: bytes, file: "fuzz.csv") else { return false }
        if let data = try? table.dataset() { _ = FeatureScaling.fit(.standard, to: data) }
        _ = try? table.dataset(labelColumn: .index(0), classCount: 3)
        _ = try? table.dataset(labelColumn: .name("label"))
        let schema = DataSchema(featureCount: max(1, table.columnCount - 1),
                                featureNames: table.columnCount > 1 ? table.header.map { Array($0.dropLast()) } ?? [] : [],
                                labelColumn: table.columnCount - 1, labelName: table.header?.last)
        _ = try? schema.labelColumn(in: table, given: nil, labelRequired: false)
        _ = try? DataSchema(featureCount: 2).labelColumn(in: table, given: .last, labelRequired: true)
        for v in table.values.prefix(32) { _ = formatFixed(Double(v), digits: 4) }
        return true
    }

    /// The first two bytes (little-endian) say where the image file ends and the label file starts.
    static func idx(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        let split = min(bytes.count, 2 + (Int(bytes[0]) | Int(bytes[1]) << 8))
        let images = Array(bytes[2..<split]), labels = Array(bytes[split...])
        guard let data = try? IDX.decode(images: images, labels: labels, imagesFile: "i", labelsFile: "l") else {
            return false
        }
        _ = FeatureScaling.fit(.minMax, to: data)
        return true
    }

    static func gzip(_ bytes: [UInt8]) -> Bool {
        guard let inflated = try? IDX.inflatedIfGzip([0x1f, 0x8b] + bytes, file: "fuzz.gz", dimensions: 1) else { return false }
        _ = try? IDX.header(inflated, magic: 0x0000_0801, dimensions: 1, file: "fuzz.gz")
        return true
    }

    static func tnn(_ bytes: [UInt8]) -> Bool {
        guard let model = try? ModelFile.decode(bytes, file: "fuzz.tnn") else { return false }
        let again = ModelFile.encode(model)
        // A version-1 file re-encodes as version 2; everything else byte for byte.
        if bytes[8] == 2 && again != bytes { fatalError("fuzz.tnn: accepted, but re-encodes to different bytes") }
        guard (try? ModelFile.decode(again, file: "again.tnn")) != nil else { fatalError("fuzz.tnn: its re-encoding is refused") }
        let t = model.training
        _ = t.summary
        for x in [t.trainingLoss, t.testLoss, t.accuracy] { _ = formatFixed(Double(x) * 100, digits: 4) }
        if model.network.parameterCount <= 1 << 16 {
            _ = CHeader.render(model, name: "fuzz", source: "fuzz.tnn", floats: .hex)
            _ = try? model.predict([Float](repeating: 0.5, count: model.network.inputCount))
        }
        return true
    }
}
