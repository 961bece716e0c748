import Foundation

/// MNIST's IDX files (big-endian header, then bytes), plain or gzip.
public enum IDX {
    public struct FormatError: Error, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Reads a file, inflating it first if it starts with the gzip magic.
    static func bytes(_ path: String) throws -> [UInt8] {
        let raw: [UInt8]
        do { raw = try FileIO.contents(of: path) } catch { throw FormatError(file: path, problem: error.problem) }
        return try inflatedIfGzip(raw, file: path)
    }

    /// `raw`, inflated first if it starts with the gzip magic.
    static func inflatedIfGzip(_ raw: [UInt8], file: String) throws -> [UInt8] {
        guard raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b else { return raw }
        return try Gzip.inflate(raw, file: file)
    }

    static func header(_ b: [UInt8], magic: UInt32, dimensions: Int, file: String) throws -> [Int] {
        func word(_ k: Int) -> UInt32 {
            UInt32(b[k]) << 24 | UInt32(b[k + 1]) << 16 | UInt32(b[k + 2]) << 8 | UInt32(b[k + 3])
        }
        guard b.count >= 4 + 4 * dimensions else { throw FormatError(file: file, problem: "truncated header") }
        guard word(0) == magic else {
            throw FormatError(file: file, problem: String(format: "wrong magic 0x%08x, expected 0x%08x", word(0), magic))
        }
        let dims = (0..<dimensions).map { Int(word(4 + 4 * $0)) }
        var body = 1
        for d in dims {
            let (product, overflow) = body.multipliedReportingOverflow(by: d)
            guard !overflow else { throw FormatError(file: file, problem: "header dimensions \(dims) are too large") }
            body = product
        }
        let have = b.count - (4 + 4 * dimensions)
        guard have >= body else {
            throw FormatError(file: file, problem: "truncated: body has \(have) bytes, the header promises \(body)")
        }
        guard have == body else {
            throw FormatError(file: file, problem: "body has \(have) bytes, the header promises \(body)")
        }
        return dims
    }

    /// Loads an image file (magic 0x803) and a label file (magic 0x801) as a
    /// data set with pixels scaled to [0, 1].
    public static func load(images: String, labels: String) throws -> Dataset {
        try decode(images: try bytes(images), labels: try bytes(labels), imagesFile: images, labelsFile: labels)
    }

    /// ``load(images:labels:)`` on bytes already read (and inflated); the names are for errors.
    static func decode(images ib: [UInt8], labels lb: [UInt8], imagesFile images: String,
                       labelsFile labels: String) throws -> Dataset {
        let idims = try header(ib, magic: 0x0000_0803, dimensions: 3, file: images)
        let ldims = try header(lb, magic: 0x0000_0801, dimensions: 1, file: labels)
        guard idims[0] == ldims[0] else {
            throw FormatError(file: labels, problem: "\(ldims[0]) labels for \(idims[0]) images in \(images)")
        }
        if let k = lb[8...].firstIndex(where: { $0 > 9 }) {
            throw FormatError(file: labels, problem: "label \(k - 8 + 1) is \(lb[k]), not a digit 0...9")
        }
        let pixels = ib[16...].map { Float($0) / 255 }
        let ls = lb[8...].map { Int($0) }
        var data = try Dataset(features: pixels, labels: ls, featureCount: idims[1] * idims[2], classCount: 10,
                               name: images)
        data.schema = DataSchema(featureCount: data.featureCount)
        return data
    }
}
