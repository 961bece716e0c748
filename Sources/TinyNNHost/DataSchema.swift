/// The columns a model was trained on: how many features, their names (a
/// CSV's header), and which column held the label. Saved as the model
/// file's `SCHM` section, so that `eval` and `predict` read a CSV the way
/// `train` did (the same label column by default) and refuse one whose
/// columns differ instead of silently feeding the label in as a feature.
public struct DataSchema: Sendable, Equatable {
    public var featureCount: Int
    /// The feature columns' names in order (the header without the label's),
    /// or empty when the training file had no header.
    public var featureNames: [String]
    /// The label's 0-based column in the training CSV; nil for IDX data.
    public var labelColumn: Int?
    /// The label column's header name, if the file had a header.
    public var labelName: String?

    public init(featureCount: Int, featureNames: [String] = [], labelColumn: Int? = nil, labelName: String? = nil) {
        self.featureCount = featureCount; self.featureNames = featureNames
        self.labelColumn = labelColumn; self.labelName = labelName
    }

    /// The schema of `table` with its label in column `label`.
    public init(table: CSVTable, labelColumn label: Int) {
        featureCount = table.columnCount - 1
        featureNames = table.header.map { h in h.enumerated().filter { $0.offset != label }.map(\.element) } ?? []
        labelColumn = label
        labelName = table.header?[label]
    }

    /// Where `table`'s label is, checking its columns against the schema.
    /// - Parameters:
    ///   - given: the user's `--label-column`, which wins over the schema's.
    ///   - labelRequired: false if the table may hold only the features (predict).
    /// - Returns: the label's column, or nil for a table of features only.
    /// - Throws: ``CSVError`` naming the file and what differs: the column
    ///   count, a missing label column, or the first feature whose header
    ///   name is not the one the model was trained on.
    public func labelColumn(in table: CSVTable, given: CSVTable.LabelColumn?,
                            labelRequired: Bool) throws(CSVError) -> Int? {
        var label: Int? = nil
        if table.columnCount == featureCount + 1 {
            if let given {
                label = try table.index(of: given)
            } else if let labelName, table.header != nil {
                guard let k = table.header!.firstIndex(of: labelName) else {
                    throw CSVError(file: table.file, problem: "no column named '\(CSVTable.echo(labelName))', the model's label column"
                                   + " (--label-column NAME|INDEX names another)")
                }
                label = k
            } else {
                label = try table.index(of: labelColumn.map { .index($0) } ?? .last)
            }
        } else if !(table.columnCount == featureCount && !labelRequired) {
            throw CSVError(file: table.file, problem: "\(table.columnCount) columns, but the model takes \(featureCount)"
                           + " features \(labelRequired ? "and" : "(plus an optional") a label column\(labelRequired ? "" : ")")"
                           + " (\(featureCount + 1) columns)")
        }
        if let header = table.header, !featureNames.isEmpty {
            let names = header.enumerated().filter { $0.offset != label }.map(\.element)
            if let k = zip(names, featureNames).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                let column = label.map { k >= $0 ? k + 1 : k } ?? k
                throw CSVError(file: table.file,
                               problem: "header: column \(column) is '\(CSVTable.echo(names[k]))', but the model's feature"
                               + " \(k + 1) is '\(CSVTable.echo(featureNames[k]))'")
            }
        }
        return label
    }
}

extension DataSchema {
    static let tag = "SCHM"

    /// Payload: u32 feature count, u32 label column (0xFFFFFFFF: none),
    /// label name (u32 length + UTF-8, empty: none), u32 name count (0 or the
    /// feature count), the names.
    var section: ModelFileSection {
        var w = SectionWriter()
        w.u32(UInt32(featureCount))
        w.u32(labelColumn.map { UInt32($0) } ?? 0xFFFF_FFFF)
        w.string(labelName ?? "")
        w.u32(UInt32(featureNames.count))
        for n in featureNames { w.string(n) }
        return ModelFileSection(tag: Self.tag, payload: w.bytes)
    }

    init(section payload: [UInt8]) throws(SectionProblem) {
        var r = SectionReader(payload)
        featureCount = Int(try r.u32("the feature count"))
        guard (1...Network.maxWidth).contains(featureCount) else {
            throw SectionProblem("\(featureCount) features (1 to \(Network.maxWidth) allowed)")
        }
        let column = try r.u32("the label column")
        guard column == 0xFFFF_FFFF || Int(column) <= featureCount else {
            throw SectionProblem("label column \(column) is outside 0...\(featureCount)")
        }
        labelColumn = column == 0xFFFF_FFFF ? nil : Int(column)
        let name = try r.string("the label's name")
        labelName = name.isEmpty ? nil : name
        let count = Int(try r.u32("the name count"))
        guard count == 0 || count == featureCount else {
            throw SectionProblem("\(count) feature names for \(featureCount) features")
        }
        featureNames = []
        for k in 0..<count { featureNames.append(try r.string("feature name \(k + 1)")) }
        try r.finish()
    }
}
