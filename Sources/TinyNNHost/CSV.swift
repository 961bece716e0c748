/// A bad CSV file: the file, the line (1-based, counting the header) where
/// known, and what is wrong, printed as `file:line: problem`.
public struct CSVError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var problem: String
    public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
}

/// A table of numbers read from a CSV file: comma-separated fields, one row
/// per line, an optional header row of column names.
///
/// The header is detected: the first non-blank line is a header if more
/// than half of its fields are not numbers. A first line with only a few
/// non-numeric fields (`1,x,0`: a typo, not column names) is refused as a
/// data row with a bad field, so a typo never silently becomes the header.
/// Every other field must be a finite number (`Float` syntax: `3`, `-0.5`,
/// `1e-3`); blank lines are skipped, `\n`, `\r\n` and bare `\r` line ends
/// and a UTF-8 byte-order mark are accepted, and a field may be wrapped in
/// double quotes (no commas inside). A bad field is echoed in an error
/// shortened to ``echoLimit`` characters.
public struct CSVTable: Sendable {
    public let file: String
    /// The column names, if the file has a header row.
    public let header: [String]?
    public let columnCount: Int
    /// `[rowCount][columnCount]`, row-major.
    public let values: [Float]
    /// The file line (1-based) of each row, for messages.
    public let lines: [Int]
    public var rowCount: Int { lines.count }

    /// Which column holds the class label.
    public enum LabelColumn: Sendable, Equatable {
        case last
        /// 0-based.
        case index(Int)
        /// A name from the header row.
        case name(String)

        /// `"label"` is a name, `"0"` an index.
        public init(_ text: String) { self = Int(text).map { .index($0) } ?? .name(text) }
    }

    /// Reads and parses a CSV file.
    /// - Parameter limit: stop after this many data rows (nil: all).
    public static func read(_ path: String, limit: Int? = nil) throws(CSVError) -> CSVTable {
        let bytes: [UInt8]
        do { bytes = try FileIO.contents(of: path) } catch { throw CSVError(file: path, problem: error.problem) }
        return try CSVTable(parsing: bytes, file: path, limit: limit)
    }

    /// Parses CSV text; `file` names it in errors.
    public init(parsing bytes: [UInt8], file: String, limit: Int? = nil) throws(CSVError) {
        self.file = file
        if let k = bytes.firstIndex(of: 0) {
            throw CSVError(file: file, problem: "byte \(k + 1) is NUL: a binary file, not CSV text")
        }
        var text = Substring(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var header: [String]? = nil
        var columns = 0
        var firstRowLine = 0
        var values: [Float] = []
        var lines: [Int] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, not "\r" followed by "\n".
        for line in text.split(omittingEmptySubsequences: false,
                               whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            if let limit, lines.count >= limit { break }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(CSVTable.unquote)
            if columns == 0 {
                columns = fields.count
                firstRowLine = lineNumber
                if 2 * fields.count(where: { Float($0) == nil }) > fields.count {
                    header = fields.map(String.init)
                    continue
                }
            }
            guard fields.count == columns else {
                throw CSVError(file: file, line: lineNumber,
                               problem: "\(fields.count) fields, expected \(columns) as on line \(firstRowLine)")
            }
            for (k, field) in fields.enumerated() {
                func fail(_ what: String) -> CSVError {
                    let name = header.map { " ('\(CSVTable.echo($0[k]))')" } ?? ""
                    return CSVError(file: file, line: lineNumber, problem: "field \(k + 1)\(name): \(what)")
                }
                if field.isEmpty { throw fail("empty") }
                let shown = CSVTable.echo(field)
                guard let v = Float(field) else {
                    let why = lines.isEmpty && header == nil
                        ? " (a header row has mostly non-numeric fields; this first row is read as data)" : ""
                    throw fail("'\(shown)' is not a number\(why)")
                }
                guard v.isFinite else {
                    throw fail(v.isNaN ? "'\(shown)' is NaN" : "'\(shown)' is infinite or too large for a Float")
                }
                values.append(v)
            }
            lines.append(lineNumber)
        }
        guard !lines.isEmpty else { throw CSVError(file: file, problem: "no data rows") }
        self.header = header; self.columnCount = columns; self.values = values; self.lines = lines
    }

    /// How many characters of a bad field an error message shows.
    public static let echoLimit = 40

    /// `field`, cut to ``echoLimit`` characters with `…` and its length when longer.
    static func echo<S: StringProtocol>(_ field: S) -> String {
        guard field.count > echoLimit else { return String(field) }
        return "\(field.prefix(echoLimit))… (\(field.utf8.count) bytes)"
    }

    /// `v` as a whole number when it is one and fits, else as a float.
    static func shown(_ v: Float) -> String {
        v == v.rounded(.towardZero) && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    /// The field without surrounding blanks and double quotes.
    static func unquote(_ field: Substring) -> Substring {
        var s = field
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        if s.count >= 2, s.first == "\"", s.last == "\"" { s = s.dropFirst().dropLast() }
        return s
    }

    /// The 0-based index of `column`.
    /// - Throws: if the index is out of range or the name is not in the header.
    public func index(of column: LabelColumn) throws(CSVError) -> Int {
        switch column {
        case .last:
            return columnCount - 1
        case .index(let k):
            guard (0..<columnCount).contains(k) else {
                throw CSVError(file: file, problem: "label column \(k) does not exist (columns are 0...\(columnCount - 1))")
            }
            return k
        case .name(let name):
            guard let header else {
                throw CSVError(file: file, problem: "label column '\(CSVTable.echo(name))' named, but the file has no header row")
            }
            guard let k = header.firstIndex(of: name) else {
                throw CSVError(file: file, problem: "no column named '\(CSVTable.echo(name))' in the header")
            }
            return k
        }
    }

    /// Every column but `column`, as `[rowCount][columnCount − 1]` (all columns if nil).
    public func features(excluding column: Int?) -> [Float] {
        guard let column else { return values }
        var out: [Float] = []
        out.reserveCapacity(rowCount * (columnCount - 1))
        for r in 0..<rowCount {
            let row = values[(r * columnCount)..<((r + 1) * columnCount)]
            for (k, v) in zip(0..., row) where k != column { out.append(v) }
        }
        return out
    }

    /// The table as labelled samples: `labelColumn` holds the class, every
    /// other column is a feature.
    /// - Parameter classCount: the number of classes the labels must fall in
    ///   (`0..<classCount`); nil takes the largest label + 1, which must look
    ///   like classes: at most 65,536, and at most max(10, rows / 2) (more
    ///   classes than that is a measurement column, e.g. the label sits in
    ///   another column).
    /// - Throws: if a label is not a whole number ≥ 0 or is out of range,
    ///   naming its line; if the labels do not look like classes (suggesting
    ///   `--label-column`); or if only the label column exists.
    public func dataset(labelColumn: LabelColumn = .last, classCount: Int? = nil) throws(CSVError) -> Dataset {
        let k = try index(of: labelColumn)
        guard columnCount >= 2 else { throw CSVError(file: file, problem: "only one column: no features besides the label") }
        let limit = classCount ?? 65_536
        let hint = classCount == nil ? "; is the label in another column? (--label-column NAME|INDEX)" : ""
        var labels: [Int] = []
        labels.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            let v = values[r * columnCount + k]
            let what = header.map { "label '\(CSVTable.echo($0[k]))'" } ?? "label (field \(k + 1))"
            guard v >= 0, v == v.rounded(.towardZero) else {
                throw CSVError(file: file, line: lines[r],
                               problem: "\(what) is \(CSVTable.shown(v)), not a class number 0, 1, 2, ...\(hint)")
            }
            guard v < Float(limit) else {
                let range = classCount.map { "outside 0...\($0 - 1) (\($0) classes)" } ?? "too large"
                throw CSVError(file: file, line: lines[r], problem: "\(what) \(CSVTable.shown(v)) is \(range)\(hint)")
            }
            labels.append(Int(v))
        }
        let classes = classCount ?? (labels.max()! + 1)
        if classCount == nil, classes > max(10, rowCount / 2) {
            let what = header.map { "label column '\(CSVTable.echo($0[k]))'" } ?? "label column \(k)"
            throw CSVError(file: file, problem: "\(what) does not look like classes: labels up to \(classes - 1)"
                           + " would make \(classes) classes for \(rowCount) rows\(hint)")
        }
        do {
            var data = try Dataset(features: features(excluding: k), labels: labels, featureCount: columnCount - 1,
                                   classCount: classes, name: file)
            data.schema = DataSchema(table: self, labelColumn: k)
            return data
        } catch {
            throw CSVError(file: file, problem: error.description)
        }
    }
}
