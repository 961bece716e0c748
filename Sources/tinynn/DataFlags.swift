import TinyNNHost

/// The flags that name labelled data, shared by `train` and `eval`: a CSV
/// file (`--data`, `--label-column`) or an MNIST pair (`--images`, `--labels`).
enum DataFlags {
    static let flags: [Flag] = [
        Flag("--data", "FILE.csv", "labelled samples, one per line: numeric features and an integer class label"
             + " 0, 1, 2, ...; a header row is detected (any non-numeric field)"),
        Flag("--label-column", "NAME|INDEX", "the label column of the CSV, by header name or 0-based index"
             + " (default: the last column)"),
        Flag("--images", "FILE", "MNIST IDX images (magic 0x803, .gz or raw); pixels are scaled to [0, 1]"),
        Flag("--labels", "FILE", "MNIST IDX labels (magic 0x801, .gz or raw), with --images"),
        Flag("--limit", "N", "use only the first N samples of the file"),
    ]

    /// The data named by `csvFlag` (with `--label-column`) or by
    /// `imagesFlag`/`labelsFlag`.
    /// - Parameters:
    ///   - classCount: the classes labels must fall in (nil: infer from the data).
    ///   - schema: the columns the data must have (a model's, or the training
    ///     data's for held-out data), checked before any label: its label
    ///     column is the default, its width and feature names must match.
    ///   - required: whether a missing source is an error, or gives nil.
    static func load(_ args: Arguments, csvFlag: String = "--data", imagesFlag: String = "--images",
                     labelsFlag: String = "--labels", classCount: Int?, schema: DataSchema? = nil,
                     required: Bool = true) throws(Failure) -> (data: Dataset, name: String)? {
        let limit = args.has("--limit") ? try args.int("--limit", default: 0, range: 1...Int.max) : nil
        let csv = args.string(csvFlag), images = args.string(imagesFlag), labels = args.string(labelsFlag)
        if let csv {
            guard images == nil && labels == nil else {
                throw args.usage("give either \(csvFlag) or \(imagesFlag) and \(labelsFlag), not both")
            }
            let given = args.string("--label-column").map(CSVTable.LabelColumn.init)
            do {
                let table = try CSVTable.read(csv, limit: limit)
                let labelColumn = try schema.map { s throws(CSVError) in
                    CSVTable.LabelColumn.index(try s.labelColumn(in: table, given: given, labelRequired: true)!)
                } ?? given ?? .last
                return (try table.dataset(labelColumn: labelColumn, classCount: classCount), csv)
            } catch { throw .data(error.description) }
        }
        if images != nil || labels != nil {
            guard let images, let labels else {
                throw args.usage("\(imagesFlag) and \(labelsFlag) go together")
            }
            var data: Dataset
            do { data = try IDX.load(images: images, labels: labels) } catch { throw .data("\(error)") }
            if let limit, limit < data.count { data = data.slice(0..<limit) }
            if let schema, schema.featureCount != data.featureCount {
                throw .data("\(images): images of \(data.featureCount) pixels, but the model takes \(schema.featureCount) features")
            }
            if let classCount {
                if let k = data.labels.firstIndex(where: { $0 >= classCount }) {
                    throw .data("\(labels): label \(k + 1) is \(data.labels[k]), outside 0...\(classCount - 1)"
                                + " (\(classCount) classes)")
                }
                data = data.counting(classes: classCount)
            }
            return (data, images)
        }
        guard !required else { throw args.usage("no data: give \(csvFlag) FILE.csv, or \(imagesFlag) and \(labelsFlag)") }
        return nil
    }
}
