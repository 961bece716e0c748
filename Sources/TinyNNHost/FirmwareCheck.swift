import TinyNN

/// A firmware's output compared with what the host expects (``TestVectors/
/// expected(for:)``), line by line in ``BitDump``'s format. It proves what it
/// compared: the firmware's model CRC and its vectors' count and CRC must be
/// the host's (else ``refusal`` says which differs and nothing is compared),
/// and every row must be there, in order, with every output.
public struct FirmwareCheck: Sendable {
    /// Why the output was not compared at all (another model or other vectors,
    /// or no identity lines): one line, or nil.
    public var refusal: String?
    /// The rows compared (the `y` lines both sides have) and their outputs.
    public var rows = 0, outputs = 0
    /// The first output whose bits differ, or the first missing or extra row: one line, or nil.
    public var firstDifference: String?
    /// Rows whose predicted class (largest output) is the host's, and whose
    /// predicted class on the firmware is the label.
    public var classesAgreeing = 0, correct = 0

    public var isEqual: Bool { refusal == nil && firstDifference == nil && rows > 0 }

    /// - Parameters:
    ///   - expected: the host's lines (identities, then one `y` line per row).
    ///   - output: everything the firmware printed; only the compared lines count.
    ///   - labels: each row's label, for the accuracy on the board.
    ///   - integerOutputs: for an int8 model, its output count: the class is
    ///     the largest of the first that many values, read as int32.
    public init(expected: [String], output: String, labels: [Int], integerOutputs: Int? = nil) {
        let got = output.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }.filter(BitDump.isCompared)
        let want = expected.map { Substring($0) }
        let wantIdentity = want.prefix { !$0.hasPrefix("y ") }, gotIdentity = got.prefix { !$0.hasPrefix("y ") }
        guard !gotIdentity.isEmpty else {
            refusal = "the firmware printed no 'model crc' and 'vectors' lines: not the inference app of tinynn vectors"
            return
        }
        for (w, g) in zip(wantIdentity, gotIdentity) where w != g {
            refusal = "the firmware ran other \(w.hasPrefix("model") ? "model" : "vectors"): it printed '\(g)', the host has '\(w)'"
            return
        }
        guard wantIdentity.count == gotIdentity.count else {
            refusal = "the firmware printed \(gotIdentity.count) identity lines, the host has \(wantIdentity.count)"
            return
        }
        let wantRows = want.dropFirst(wantIdentity.count), gotRows = got.dropFirst(gotIdentity.count)
        for (k, (w, g)) in zip(wantRows, gotRows).enumerated() {
            guard let host = BitDump.parse(w), let target = BitDump.parse(g) else {
                firstDifference = "row \(k): unreadable line '\(g)'"
                break
            }
            guard target.index == host.index, target.bits.count == host.bits.count else {
                firstDifference = "row \(k): the firmware printed '\(g.prefix(40))...', expected row \(host.index)"
                    + " with \(host.bits.count) outputs"
                break
            }
            rows += 1
            outputs += host.bits.count
            if firstDifference == nil, let j = host.bits.indices.first(where: { host.bits[$0] != target.bits[$0] }) {
                // int8 models print integers (as int32 bit patterns), float models floats.
                func value(_ bits: UInt32) -> String {
                    integerOutputs != nil ? "\(Int32(bitPattern: bits))" : "\(Float(bitPattern: bits))"
                }
                firstDifference = "row \(host.index) output \(j): host \(ModelFile.hex(host.bits[j])) (\(value(host.bits[j]))),"
                    + " target \(ModelFile.hex(target.bits[j])) (\(value(target.bits[j])))"
            }
            func classOf(_ bits: [UInt32]) -> Int {
                guard let n = integerOutputs else { return Model.predictedClass(bits.map(Float.init(bitPattern:))) }
                let v = bits.prefix(n).map { Int32(bitPattern: $0) }
                return v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) } ?? 0
            }
            let hostClass = classOf(host.bits), targetClass = classOf(target.bits)
            if hostClass == targetClass { classesAgreeing += 1 }
            if k < labels.count, targetClass == labels[k] { correct += 1 }
        }
        if firstDifference == nil, gotRows.count != wantRows.count {
            firstDifference = "the firmware printed \(gotRows.count) of the \(wantRows.count) rows"
        }
    }
}
