/// A protocol-buffer message that cannot be read: what is wrong and at which
/// byte offset of the file.
public struct ProtobufError: Error, Equatable, CustomStringConvertible {
    public var offset: Int
    public var problem: String
    public var description: String { "\(problem) at byte \(offset)" }
}

/// Reads the protocol-buffer wire format (varints, fixed 32/64-bit and
/// length-delimited fields) from a byte range, checking every length against
/// the end of the range: a message that claims more bytes than it has, a
/// varint of more than 10 bytes or an unknown wire type is an error, never a
/// trap. Nested messages are read by `message()`, which returns a reader over
/// just the nested range; unknown fields are skipped without looking inside,
/// so no input makes the reader recurse.
struct ProtobufReader {
    /// The whole file, shared by nested readers so offsets stay file offsets.
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8]) { self.bytes = bytes; position = 0; end = bytes.count }
    private init(bytes: [UInt8], range: Range<Int>) { self.bytes = bytes; position = range.lowerBound; end = range.upperBound }

    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    var isAtEnd: Bool { position >= end }

    func fail(_ problem: String, at offset: Int? = nil) -> ProtobufError {
        ProtobufError(offset: offset ?? position, problem: problem)
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func field() throws(ProtobufError) -> (number: Int, wire: WireType)? {
        guard !isAtEnd else { return nil }
        let start = position
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number < 1 << 29 else { throw fail("field number \(number) out of range", at: start) }
        guard let wire = WireType(rawValue: UInt8(key & 7)) else {
            throw fail("unsupported wire type \(key & 7) of field \(number)", at: start)
        }
        return (Int(number), wire)
    }

    /// A base-128 varint, least significant group first, at most 10 bytes.
    mutating func varint() throws(ProtobufError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        for k in 0..<10 {
            guard position < end else { throw fail("truncated varint", at: start) }
            let byte = bytes[position]
            position += 1
            if k == 9 && byte > 1 { throw fail("varint longer than 64 bits", at: start) }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(k))
            if byte & 0x80 == 0 { return value }
        }
        throw fail("varint longer than 10 bytes", at: start)
    }

    mutating func int64() throws(ProtobufError) -> Int64 { Int64(bitPattern: try varint()) }

    mutating func fixed32() throws(ProtobufError) -> UInt32 {
        guard end - position >= 4 else { throw fail("truncated 32-bit field") }
        defer { position += 4 }
        return (0..<4).reduce(0) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
    }

    mutating func fixed64() throws(ProtobufError) -> UInt64 {
        guard end - position >= 8 else { throw fail("truncated 64-bit field") }
        defer { position += 8 }
        return (0..<8).reduce(0) { $0 | UInt64(bytes[position + $1]) << (8 * UInt64($1)) }
    }

    /// The range of a length-delimited field's payload, checked against the end.
    mutating func lengthDelimited() throws(ProtobufError) -> Range<Int> {
        let start = position
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw fail("length \(length) runs past the end of the message (\(end - position) bytes left)", at: start)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// A nested message.
    mutating func message() throws(ProtobufError) -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: try lengthDelimited())
    }

    /// A length-delimited field's payload as bytes.
    mutating func data() throws(ProtobufError) -> ArraySlice<UInt8> { bytes[try lengthDelimited()] }

    /// A string field (invalid UTF-8 repaired, as for a name only shown).
    mutating func string() throws(ProtobufError) -> String { String(decoding: try data(), as: UTF8.self) }

    /// Skips a field's value of wire type `wire`.
    mutating func skip(_ wire: WireType) throws(ProtobufError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        }
    }

    /// Appends a repeated varint field's values, packed or one per field.
    mutating func int64s(_ wire: WireType, into values: inout [Int64]) throws(ProtobufError) {
        if wire == .varint { values.append(try int64()); return }
        guard wire == .lengthDelimited else { throw fail("repeated integer field of wire type \(wire.rawValue)") }
        var packed = try message()
        while !packed.isAtEnd { values.append(try packed.int64()) }
    }

    /// Appends a repeated float field's values, packed or one per field.
    mutating func floats(_ wire: WireType, into values: inout [Float]) throws(ProtobufError) {
        if wire == .fixed32 { values.append(Float(bitPattern: try fixed32())); return }
        guard wire == .lengthDelimited else { throw fail("repeated float field of wire type \(wire.rawValue)") }
        var packed = try message()
        while !packed.isAtEnd { values.append(Float(bitPattern: try packed.fixed32())) }
    }

    /// Appends a repeated double field's values, packed or one per field.
    mutating func doubles(_ wire: WireType, into values: inout [Double]) throws(ProtobufError) {
        if wire == .fixed64 { values.append(Double(bitPattern: try fixed64())); return }
        guard wire == .lengthDelimited else { throw fail("repeated double field of wire type \(wire.rawValue)") }
        var packed = try message()
        while !packed.isAtEnd { values.append(Double(bitPattern: try packed.fixed64())) }
    }

    /// Fails unless the field has wire type `expected`.
    func expect(_ wire: WireType, _ expected: WireType, field: String) throws(ProtobufError) {
        guard wire == expected else { throw fail("field \(field) has wire type \(wire.rawValue), expected \(expected.rawValue)") }
    }
}

/// Writes the protocol-buffer wire format, fields in the order they are
/// written: varints, fixed 32-bit and length-delimited fields; a nested
/// message is built by a closure and written with its length.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ x: UInt64) {
        var x = x
        while x >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }

    mutating func key(_ field: Int, _ wire: ProtobufReader.WireType) {
        varint(UInt64(field) << 3 | UInt64(wire.rawValue))
    }

    /// An integer field (int64/int32/enum: negative values as ten bytes, as protoc writes them).
    mutating func int(_ field: Int, _ x: Int64) { key(field, .varint); varint(UInt64(bitPattern: x)) }

    /// A float field (fixed 32-bit).
    mutating func float(_ field: Int, _ x: Float) {
        key(field, .fixed32)
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: x.bitPattern >> (8 * UInt32(k)))) }
    }

    mutating func data(_ field: Int, _ payload: [UInt8]) {
        key(field, .lengthDelimited); varint(UInt64(payload.count)); bytes += payload
    }

    mutating func string(_ field: Int, _ s: String) { data(field, Array(s.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        data(field, nested.bytes)
    }
}
