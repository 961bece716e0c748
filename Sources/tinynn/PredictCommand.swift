import TinyNNHost

/// `tinynn predict`: the class and outputs of one sample or of every row of a CSV file.
enum PredictCommand {
    static let command = Command(
        name: "predict",
        summary: "run a model on one sample or on each row of a CSV file",
        synopsis: "predict MODEL (--input X1,X2,... | --data FILE.csv [--label-column C] [--limit N]) [--bits]",
        positionals: ["MODEL"],
        flags: [
            Flag("--input", "X1,X2,...", "one sample's raw features, comma-separated"),
            Flag("--data", "FILE.csv", "samples, one per row: exactly the model's features, or the features"
                 + " and a label column (which is ignored)"),
            Flag("--label-column", "NAME|INDEX", "which column of --data is the label, when it has one"
                 + " (default: the last)"),
            Flag("--limit", "N", "only the first N rows of --data"),
            Flag("--bits", nil, "print each sample as the inference firmware does, 'y ROW 0xBITS ...' (0-based"
                 + " row, each output's float32 bit pattern), so the two compare as text"),
        ],
        details: """
            Prints one line per sample: the predicted class, then every output activation
            (shortest decimals that read back to the exact float), separated by spaces; with
            --bits the firmware's line instead, 'y ROW 0x3a6a0545 ...' without the class.
            The model's input scaling is applied to the raw features first.
            """,
        examples: [
            "tinynn predict digits.tnn --input 0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0",
            "tinynn predict digits.tnn --data Data/digits/digits.csv",
            "tinynn predict digits.tnn --data Data/digits/digits.csv --limit 5 --bits",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let path = try InfoCommand.modelPath(args)
        let model = try InfoCommand.load(path)
        let n = model.network.inputCount
        var samples: [(values: [Float], source: String)] = []
        switch (args.string("--input"), args.string("--data")) {
        case (let text?, nil):
            var x: [Float] = []
            for (k, field) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let trimmed = field.trimmingBlanks
                guard let v = Float(trimmed), v.isFinite else {
                    throw args.usage("--input: value \(k + 1), '\(field)', is not a finite number")
                }
                x.append(v)
            }
            guard x.count == n else { throw args.usage("--input has \(x.count) values; \(path) takes \(n) features") }
            samples = [(x, "--input")]
        case (nil, let file?):
            let table: CSVTable
            let limit = args.has("--limit") ? try args.int("--limit", default: 0, range: 1...Int.max) : nil
            do { table = try CSVTable.read(file, limit: limit) } catch { throw .data(error.description) }
            let schema = model.schema ?? DataSchema(featureCount: n)
            let labelColumn: Int?
            do {
                labelColumn = try schema.labelColumn(in: table, given: args.string("--label-column").map(CSVTable.LabelColumn.init),
                                                     labelRequired: false)
            } catch { throw .data(error.description) }
            let features = table.features(excluding: labelColumn)
            samples = (0..<table.rowCount).map { (Array(features[($0 * n)..<(($0 + 1) * n)]), "\(file):\(table.lines[$0])") }
        default:
            throw args.usage("give one of --input X1,X2,... or --data FILE.csv")
        }
        let bits = args.has("--bits")
        if model.quantized != nil { return try Int8Info.predict(model, samples, bits: bits) }
        for (row, (x, source)) in samples.enumerated() {
            let y: [Float]
            do { y = try model.predict(x) } catch { throw .data("\(source): \(error)") }
            print(bits ? BitDump.line(row, y) : ([String(Model.predictedClass(y))] + y.map(\.description)).joined(separator: " "))
        }
    }
}

extension Substring {
    var trimmingBlanks: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
