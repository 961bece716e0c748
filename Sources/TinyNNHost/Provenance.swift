/// Where a model came from when `tinynn train` did not make it: the program
/// that wrote it (an ONNX file's `producer_name` and `producer_version`,
/// e.g. `pytorch` `2.5.1`). Saved as the model file's `ORIG` section and
/// shown by `tinynn info`.
public struct Provenance: Sendable, Equatable {
    public var producer: String
    public var producerVersion: String
    /// What the conversion changed or dropped, one line each (e.g. "float64
    /// initializers converted to float32").
    public var notes: [String]

    public init(producer: String, producerVersion: String, notes: [String] = []) {
        self.producer = producer; self.producerVersion = producerVersion; self.notes = notes
    }

    /// `pytorch 2.5.1`.
    public var summary: String { producerVersion.isEmpty ? producer : "\(producer) \(producerVersion)" }
}

extension Provenance {
    static let tag = "ORIG"

    /// Payload: producer, producer version, u32 note count, the notes (strings
    /// as u32 length + UTF-8).
    var section: ModelFileSection {
        var w = SectionWriter()
        w.string(producer); w.string(producerVersion)
        w.u32(UInt32(notes.count))
        for n in notes { w.string(n) }
        return ModelFileSection(tag: Self.tag, payload: w.bytes)
    }

    init(section payload: [UInt8]) throws(SectionProblem) {
        var r = SectionReader(payload)
        producer = try r.string("the producer's name")
        producerVersion = try r.string("the producer's version")
        let count = Int(try r.u32("the note count"))
        guard count <= 64 else { throw SectionProblem("\(count) notes (at most 64)") }
        notes = []
        for k in 0..<count { notes.append(try r.string("note \(k + 1)")) }
        try r.finish()
    }
}
