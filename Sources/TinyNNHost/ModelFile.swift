import TinyNN

/// A model file that cannot be read: which file and why, printed as
/// `file: problem`.
public struct ModelFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}

/// The `.tnn` model file, format version 2. All numbers little-endian; the
/// same inputs always give the same bytes (no timestamps).
///
/// ```
/// offset  bytes   field
///  0      8       magic 89 54 4E 4E 0D 0A 1A 0A  ("\x89TNN\r\n\x1A\n")
///  8      4       u32 format version = 2 (1: the same without sections, still read)
/// 12      4       u32 file size in bytes, CRC included
/// 16      1       u8  layer count L, 1…8
/// 17      1       u8  loss (Loss raw value: quadratic 0, cross-entropy 1, binary cross-entropy 2)
/// 18      1       u8  input scaling (none 0, minmax 1, standard 2)
/// 19      1       u8  initializer (per-layer standard 0, gaussian 1, xavier 2, he 3, from a model 4)
/// 20      1       u8  optimizer (sgd 0, momentum 1, adam 2)
/// 21      3       zero
/// 24      4×6     f32 η, β₁ (momentum μ), β₂, ε, weight decay λ, gaussian σ (else 0)
/// 48      4       u32 batch size
/// 52      4       u32 epochs
/// 56      8       u64 seed
/// 64      4×3     u32 training samples, held-out samples, classes
/// 76      4×3     f32 last epoch's training loss, accuracy, held-out loss (NaN: none)
/// 88      4(L+1)  u32 widths n₀ (inputs), n₁, …, n_L
/// …       L       u8  activation of layers 1…L (Activation raw values), zero-padded to 4
/// …       8·n₀    f32 offset[n₀], then scale[n₀]: x′ = (x − offset)·scale (only if scaling ≠ 0)
/// …       4·P     f32 parameters: for l = 1…L, w_l [n_l][n_(l−1)] row-major, then b_l [n_l]
/// …       …       sections (``ModelFileSection``: tag, length, payload, padding), in the order
///                 of ``sections(of:)``; none for a model `tinynn train` made with no extras
/// end−4   4       u32 CRC-32 (IEEE, as zlib) of every byte before it
/// ```
/// The parameters start at a multiple of 4, so firmware may use them in place;
/// so does every section.
public enum ModelFile {
    public static let magic: [UInt8] = [0x89, 0x54, 0x4E, 0x4E, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let version: UInt32 = 2
    static let fixedHeaderBytes = 88
    /// Widths above this are refused, so sizes cannot overflow.
    static let maxWidth = 1 << 24

    // MARK: - Writing

    /// The file's bytes.
    public static func encode(_ model: Model) -> [UInt8] {
        let net = model.network, t = model.training
        var out = ByteWriter()
        out.bytes += magic
        out.u32(version)
        out.u32(0)  // file size, patched below
        out.u8(UInt8(net.layerCount)); out.u8(net.loss.rawValue); out.u8(model.scaling.kind.rawValue)
        let (initKind, sigma): (UInt8, Float) = switch t.initializer {
            case nil: (t.startedFromModel ? 4 : 0, 0)
            case .gaussian(let s)?: (1, s)
            case .xavier?: (2, 0)
            case .he?: (3, 0)
        }
        out.u8(initKind); out.u8(t.optimizer.kind.rawValue); out.u8(0); out.u8(0); out.u8(0)
        for f in [t.optimizer.learningRate, t.optimizer.beta1, t.optimizer.beta2, t.optimizer.epsilon,
                  t.optimizer.weightDecay, sigma] { out.f32(f) }
        out.u32(UInt32(t.batchSize)); out.u32(UInt32(t.epochs)); out.u64(t.seed)
        out.u32(UInt32(t.trainingSamples)); out.u32(UInt32(t.testSamples)); out.u32(UInt32(t.classCount))
        out.f32(t.trainingLoss); out.f32(t.accuracy); out.f32(t.testLoss)
        for w in net.widths { out.u32(UInt32(w)) }
        for a in net.activations { out.u8(a.rawValue) }
        while out.bytes.count % 4 != 0 { out.u8(0) }
        if model.scaling.kind != .none {
            for f in model.scaling.offset + model.scaling.scale { out.f32(f) }
        }
        for f in net.flatParameters { out.f32(f) }
        for section in sections(of: model) {
            out.bytes += section.tag.utf8
            out.u32(UInt32(section.payload.count))
            out.bytes += section.payload
            while out.bytes.count % 4 != 0 { out.u8(0) }
        }
        let size = UInt32(out.bytes.count + 4)
        for k in 0..<4 { out.bytes[12 + k] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(k))) }
        out.u32(crc32(out.bytes))
        return out.bytes
    }

    /// Writes `model` to `path` (via a temporary file and a rename).
    public static func save(_ model: Model, to path: String) throws(FileError) {
        try FileIO.writeAtomically(encode(model), to: path)
    }

    // MARK: - Reading

    /// Reads and checks a model file.
    public static func load(_ path: String) throws(ModelFileError) -> Model {
        let bytes: [UInt8]
        do { bytes = try FileIO.contents(of: path) } catch { throw ModelFileError(file: path, problem: error.problem) }
        return try decode(bytes, file: path)
    }

    /// Parses and checks a model file's bytes, in this order: magic,
    /// version, size (truncated or trailing bytes), CRC-32, then that the
    /// contents are consistent (sizes, enum values, loss against output
    /// activation, finite numbers).
    /// - Parameter file: names the file in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(ModelFileError) -> Model {
        func fail(_ problem: String) -> ModelFileError { ModelFileError(file: file, problem: problem) }
        guard bytes.starts(with: magic.prefix(min(bytes.count, magic.count))), !bytes.isEmpty else {
            throw fail("not a TinyNN model file (wrong magic number)")
        }
        guard bytes.count >= 16 else { throw fail("truncated: \(bytes.count) bytes, too short for the header") }
        var r = ByteReader(bytes: bytes, position: 8)
        let v = r.u32()
        guard v == 1 || v == version else {
            throw fail("model file format version \(v); this tinynn reads versions 1 and \(version)")
        }
        let size = Int(r.u32())
        guard bytes.count >= size else { throw fail("truncated: \(bytes.count) bytes, the header says \(size)") }
        guard bytes.count == size else {
            throw fail("\(bytes.count - size) unexpected bytes after the \(size) the header describes")
        }
        guard size >= fixedHeaderBytes + 4 else { throw fail("inconsistent: file size \(size) is below the header's") }
        let stored = ByteReader(bytes: bytes, position: size - 4).peekU32()
        let computed = crc32(bytes[0..<(size - 4)])
        guard stored == computed else {
            throw fail("CRC-32 mismatch (stored \(hex(stored)), contents give \(hex(computed))): the file is damaged")
        }

        let layerCount = Int(r.u8())
        let lossRaw = r.u8(), scalingRaw = r.u8(), initRaw = r.u8(), optimizerRaw = r.u8()
        guard bytes[21..<24].allSatisfy({ $0 == 0 }) else { throw fail("inconsistent: reserved bytes 21...23 are not zero") }
        r.position += 3
        let eta = r.f32(), beta1 = r.f32(), beta2 = r.f32(), epsilon = r.f32(), decay = r.f32(), sigma = r.f32()
        let batch = Int(r.u32()), epochs = Int(r.u32()), seed = r.u64()
        let trainCount = Int(r.u32()), testCount = Int(r.u32()), classCount = Int(r.u32())
        let trainLoss = r.f32(), accuracy = r.f32(), testLoss = r.f32()
        guard (1...NetworkView.maxLayers).contains(layerCount) else {
            throw fail("inconsistent: \(layerCount) layers (1 to \(NetworkView.maxLayers) allowed)")
        }
        let activationEnd = fixedHeaderBytes + 4 * (layerCount + 1) + layerCount
        let headerEnd = (activationEnd + 3) & ~3
        guard headerEnd + 4 <= size else { throw fail("inconsistent: \(layerCount) layers do not fit in \(size) bytes") }
        let widths = (0...layerCount).map { _ in Int(r.u32()) }
        guard widths.allSatisfy({ (1...maxWidth).contains($0) }) else {
            throw fail("inconsistent: layer widths \(widths.map(String.init).joined(separator: ",")) (1 to \(maxWidth) allowed)")
        }
        let activationRaws = (0..<layerCount).map { _ in r.u8() }
        r.position = headerEnd
        guard let loss = Loss(rawValue: lossRaw) else { throw fail("inconsistent: unknown loss \(lossRaw)") }
        guard let scalingKind = FeatureScaling.Kind(rawValue: scalingRaw) else {
            throw fail("inconsistent: unknown input scaling \(scalingRaw)")
        }
        guard let optimizerKind = Optimizer.Kind(rawValue: optimizerRaw) else {
            throw fail("inconsistent: unknown optimizer \(optimizerRaw)")
        }
        let initializer: Initializer?
        switch initRaw {
        case 0: initializer = nil
        case 1: initializer = .gaussian(standardDeviation: sigma)
        case 2: initializer = .xavier
        case 3: initializer = .he
        case 4: initializer = nil
        default: throw fail("inconsistent: unknown initializer \(initRaw)")
        }
        var activations: [Activation] = []
        for (l, raw) in activationRaws.enumerated() {
            guard let a = Activation(rawValue: raw) else { throw fail("inconsistent: unknown activation \(raw) in layer \(l + 1)") }
            activations.append(a)
        }
        let scalingCount = scalingKind == .none ? 0 : 2 * widths[0]
        var parameterCount = 0
        for l in 0..<layerCount { parameterCount += (widths[l] + 1) * widths[l + 1] }
        let parameterEnd: Int = headerEnd + 4 * (scalingCount + parameterCount)
        let expected = parameterEnd + 4
        guard expected == size || (v >= 2 && expected < size) else {
            throw fail("inconsistent sizes: layers \(widths.map(String.init).joined(separator: ","))"
                       + " need \(expected) bytes, the file has \(size)")
        }
        let network: Network
        do { network = try Network(widths: widths, activations: activations, loss: loss) } catch {
            throw fail("inconsistent: \(error)")
        }
        let scalingValues = (0..<scalingCount).map { _ in r.f32() }
        let scaling = FeatureScaling(kind: scalingKind, offset: Array(scalingValues.prefix(scalingCount / 2)),
                                     scale: Array(scalingValues.suffix(scalingCount / 2)))
        guard scalingValues.allSatisfy({ $0.isFinite }) else { throw fail("inconsistent: input scaling holds NaN or infinity") }
        for l in 0..<layerCount {
            let w = (0..<(widths[l] * widths[l + 1])).map { _ in r.f32() }
            let b = (0..<widths[l + 1]).map { _ in r.f32() }
            guard (w + b).allSatisfy({ $0.isFinite }) else { throw fail("inconsistent: layer \(l + 1) holds NaN or infinity") }
            try! network.setParameters(layer: l, weights: w, biases: b)
        }
        let optimizer = Optimizer(kind: optimizerKind, learningRate: eta, weightDecay: decay,
                                  beta1: beta1, beta2: beta2, epsilon: epsilon)
        var training = TrainingRecord(
            optimizer: optimizer, initializer: initializer, batchSize: batch, epochs: epochs, seed: seed,
            trainingSamples: trainCount, testSamples: testCount, classCount: classCount,
            trainingLoss: trainLoss, accuracy: accuracy, testLoss: testLoss)
        training.startedFromModel = initRaw == 4
        if let problem = training.problem { throw fail("inconsistent training record: \(problem)") }
        var model = Model(network: network, scaling: scaling, training: training)
        try readSections(bytes[parameterEnd..<(size - 4)], into: &model, file: file)
        return model
    }

    // MARK: - Sections

    /// The sections `model`'s file carries, in file order: one line per kind.
    static func sections(of model: Model) -> [ModelFileSection] {
        var s: [ModelFileSection] = []
        if let k = LeakySlopeSection.section(of: model.network) { s.append(k) }
        if let p = model.provenance { s.append(p.section) }
        if let d = model.schema { s.append(d.section) }
        if let r = model.stopping { s.append(r.section) }
        if let q = model.quantized { s.append(q.section) }
        return s
    }

    /// Reads one section into `model`: one case per kind.
    static func read(_ section: ModelFileSection, into model: inout Model) throws(SectionProblem) {
        switch section.tag {
        case LeakySlopeSection.tag: try LeakySlopeSection.read(section.payload, into: model.network)
        case Provenance.tag: model.provenance = try Provenance(section: section.payload)
        case DataSchema.tag: model.schema = try DataSchema(section: section.payload)
        case StoppingRecord.tag: model.stopping = try StoppingRecord(section: section.payload)
        case QuantizedModel.tag: model.quantized = try QuantizedModel(section: section.payload, network: model.network)
        default: throw SectionProblem("unknown section (written by a newer tinynn?)")
        }
    }

    /// Splits `bytes` (between the parameters and the CRC) into sections and
    /// reads each, refusing truncation, bad padding and repeated tags.
    static func readSections(_ bytes: ArraySlice<UInt8>, into model: inout Model,
                             file: String) throws(ModelFileError) {
        var k = bytes.startIndex, seen: Set<String> = []
        while k < bytes.endIndex {
            let offset = k
            guard bytes.endIndex - k >= 8 else {
                throw ModelFileError(file: file, problem: "inconsistent: \(bytes.endIndex - k) bytes at offset \(offset)"
                                     + " are too few for a section header")
            }
            let tagBytes = bytes[k..<(k + 4)]
            guard tagBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ModelFileError(file: file, problem: "inconsistent: the section at offset \(offset) has no ASCII tag")
            }
            let tag = String(decoding: tagBytes, as: UTF8.self)
            let length = (0..<4).reduce(0) { $0 | Int(bytes[k + 4 + $1]) << (8 * $1) }
            k += 8
            guard length <= bytes.endIndex - k else {
                throw ModelFileError(file: file, problem: "inconsistent: section '\(tag)' at offset \(offset) says"
                                     + " \(length) bytes, \(bytes.endIndex - k) remain")
            }
            let payload = Array(bytes[k..<(k + length)])
            k += length
            let padding = (4 - length % 4) % 4
            guard padding <= bytes.endIndex - k, bytes[k..<(k + padding)].allSatisfy({ $0 == 0 }) else {
                throw ModelFileError(file: file, problem: "inconsistent: section '\(tag)' is not zero-padded to 4 bytes")
            }
            k += padding
            guard seen.insert(tag).inserted else {
                throw ModelFileError(file: file, problem: "inconsistent: section '\(tag)' appears twice")
            }
            do { try read(ModelFileSection(tag: tag, payload: payload), into: &model) } catch {
                throw ModelFileError(file: file, problem: "section '\(tag)': \(error.text)")
            }
        }
    }

    /// `0x` and eight lowercase hex digits.
    public static func hex(_ x: UInt32) -> String {
        let digits = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Little-endian output.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ x: UInt8) { bytes.append(x) }
    mutating func u32(_ x: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: x >> (8 * UInt32(k)))) } }
    mutating func u64(_ x: UInt64) { u32(UInt32(truncatingIfNeeded: x)); u32(UInt32(truncatingIfNeeded: x >> 32)) }
    mutating func f32(_ x: Float) { u32(x.bitPattern) }
}

/// Little-endian input; the caller has checked that the bytes are there.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    func peekU32() -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
    }
    mutating func u8() -> UInt8 { defer { position += 1 }; return bytes[position] }
    mutating func u32() -> UInt32 { defer { position += 4 }; return peekU32() }
    mutating func u64() -> UInt64 { let lo = UInt64(u32()); return lo | UInt64(u32()) << 32 }
    mutating func f32() -> Float { Float(bitPattern: u32()) }
}
