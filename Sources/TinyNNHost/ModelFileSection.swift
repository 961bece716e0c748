/// An optional part of a version-2 model file, after the parameters: what a
/// model carries beyond its network, scaling and training record (where it
/// came from, the data's schema, how training stopped, …).
///
/// ```
/// bytes   field
/// 4       tag: four ASCII characters
/// 4       u32 payload length n
/// n       payload
/// 0…3     zero, to the next multiple of 4
/// ```
/// A writer lists its sections in a fixed order (``ModelFile/sections(of:)``),
/// each tag at most once, so the same model always gives the same bytes. A
/// reader refuses a tag it does not know, a repeated tag, a length past the
/// end and padding that is not zero: a section is never skipped unread.
public struct ModelFileSection: Equatable, Sendable {
    /// Four ASCII characters.
    public var tag: String
    public var payload: [UInt8]

    public init(tag: String, payload: [UInt8]) {
        precondition(tag.utf8.count == 4 && tag.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F },
                     "a section tag is four printable ASCII characters")
        self.tag = tag; self.payload = payload
    }
}

/// What is wrong inside a section, without the file's and the section's name
/// (``ModelFile/decode(_:file:)`` adds both).
public struct SectionProblem: Error, Equatable {
    public var text: String
    public init(_ text: String) { self.text = text }
}

/// A section's payload being built, little-endian.
struct SectionWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ x: UInt8) { bytes.append(x) }
    mutating func u32(_ x: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: x >> (8 * UInt32(k)))) } }
    mutating func f32(_ x: Float) { u32(x.bitPattern) }
    /// u32 byte count, then the UTF-8 bytes.
    mutating func string(_ s: String) { u32(UInt32(s.utf8.count)); bytes += s.utf8 }
}

/// A section's payload being read, little-endian; every read is bounds-checked
/// and a payload must be read to its last byte (``finish()``).
struct SectionReader {
    let payload: [UInt8]
    var position = 0

    init(_ payload: [UInt8]) { self.payload = payload }

    mutating func take(_ n: Int, _ what: String) throws(SectionProblem) -> ArraySlice<UInt8> {
        guard n >= 0, n <= payload.count - position else {
            throw SectionProblem("truncated: \(what) needs \(n) bytes at offset \(position) of \(payload.count)")
        }
        defer { position += n }
        return payload[position..<(position + n)]
    }
    mutating func u8(_ what: String) throws(SectionProblem) -> UInt8 { try take(1, what).first! }
    mutating func u32(_ what: String) throws(SectionProblem) -> UInt32 {
        try take(4, what).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
    mutating func f32(_ what: String) throws(SectionProblem) -> Float { Float(bitPattern: try u32(what)) }
    /// A string written by ``SectionWriter/string(_:)``: valid UTF-8, at most `limit` bytes.
    mutating func string(_ what: String, limit: Int = 4096) throws(SectionProblem) -> String {
        let n = Int(try u32("\(what)'s length"))
        guard n <= limit else { throw SectionProblem("\(what) is \(n) bytes long (at most \(limit))") }
        let bytes = try take(n, what)
        guard let s = String(validating: bytes, as: UTF8.self) else { throw SectionProblem("\(what) is not UTF-8") }
        return s
    }
    /// Refuses bytes left over after the last field.
    func finish() throws(SectionProblem) {
        guard position == payload.count else {
            throw SectionProblem("\(payload.count - position) unexpected bytes after its last field")
        }
    }
}
