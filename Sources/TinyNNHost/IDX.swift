import Foundation

/// MNIST's IDX files (big-endian header, then bytes), plain or gzip.
public enum IDX {
    public struct FormatError: Error, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Reads a file, inflating it first if it starts with the gzip magic. The
    /// inflated size is bounded while inflating by what the IDX header (its
    /// first 4 + 4 × dimensions bytes) promises.
    static func bytes(_ path: String, dimensions: Int) throws -> [UInt8] {
        let raw: [UInt8]
        do { raw = try FileIO.contents(of: path) } catch { throw FormatError(file: path, problem: error.problem) }
        return try inflatedIfGzip(raw, file: path, dimensions: dimensions)
    }

    /// `raw`, inflated first if it starts with the gzip magic (bounded by the
    /// IDX header of `dimensions` dimensions).
    static func inflatedIfGzip(_ raw: [UInt8], file: String, dimensions: Int) throws -> [UInt8] {
        guard raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b else { return raw }
        let headerSize = 4 + 4 * dimensions
        let promise = Gzip.PrefixCap(count: headerSize, cap: { b in
            guard b[0] == 0, b[1] == 0, Int(b[3]) == dimensions else { return nil }
            var body = 1
            for k in 0..<dimensions {
                let d = Int(b[4 + 4 * k]) << 24 | Int(b[5 + 4 * k]) << 16 | Int(b[6 + 4 * k]) << 8 | Int(b[7 + 4 * k])
                let (product, overflow) = body.multipliedReportingOverflow(by: d)
                guard !overflow, product <= Int.max - headerSize else { return nil }
                body = product
            }
            return headerSize + body
        }, source: "the IDX header")
        // Inflated, no larger than a plain file may be (FileIO.maxReadBytes), nor than the header says.
        return try Gzip.inflate(raw, file: file, cap: FileIO.maxReadBytes, prefixCap: promise)
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
        // The product of the non-zero dimensions fits too: 0 images of 2^32 × 2^32 pixels
        // have no body, but their pixel count would overflow where it is used.
        var body = 1, nonZero = 1
        for d in dims {
            let (product, overflow) = nonZero.multipliedReportingOverflow(by: max(d, 1))
            guard !overflow else { throw FormatError(file: file, problem: "header dimensions \(dims) are too large") }
            nonZero = product
            body *= d
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
        try decode(images: try bytes(images, dimensions: 3), labels: try bytes(labels, dimensions: 1),
                   imagesFile: images, labelsFile: labels)
    }

    /// ``load(images:labels:)`` on bytes already read (and inflated); the names are for errors.
    static func decode(images ib: [UInt8], labels lb: [UInt8], imagesFile images: String,
                       labelsFile labels: String) throws -> Dataset {
        let idims = try header(ib, magic: 0x0000_0803, dimensions: 3, file: images)
        guard idims[1] > 0 && idims[2] > 0 else {
            throw FormatError(file: images, problem: "images of \(idims[1]) × \(idims[2]) pixels: no pixels")
        }
        let ldims = try header(lb, magic: 0x0000_0801, dimensions: 1, file: labels)
        guard idims[0] == ldims[0] else {
            throw FormatError(file: labels, problem: "\(ldims[0]) labels for \(idims[0]) images in \(images)")
        }
        if let k = lb[8...].firstIndex(where: { $0 > 9 }) {
            throw FormatError(file: labels, problem: "label \(k - 8 + 1) is \(lb[k]), not a digit 0...9")
        }
        // Float(byte) / 255 from a table of the 256 values (the same bits, a load per pixel).
        let scaled = (0..<256).map { Float($0) / 255 }
        let pixels = [Float](unsafeUninitializedCapacity: ib.count - 16) { out, n in
            HugePages.advise(out)
            ib.withUnsafeBufferPointer { b in
                scaled.withUnsafeBufferPointer { t in
                    for k in 0..<(b.count - 16) { out[k] = t[Int(b[16 + k])] }
                }
            }
            n = ib.count - 16
        }
        let ls = lb[8...].map { Int($0) }
        var data = try Dataset(features: pixels, labels: ls, featureCount: idims[1] * idims[2], classCount: 10,
                               name: images)
        data.schema = DataSchema(featureCount: data.featureCount)
        return data
    }
}
