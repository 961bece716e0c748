import TinyNN
import TinyNNHost

/// `tinynn vectors`: test vectors for the inference firmware, read exactly as
/// `tinynn train` reads its data, and the lines the firmware must print.
enum VectorsCommand {
    static let command = Command(
        name: "vectors",
        summary: "write test vectors for firmware (C header) and the output bits a model must give on them",
        synopsis: "vectors (--data FILE.csv [--label-column C] | --images FILE --labels FILE) --header OUT.h"
            + " [--model MODEL --expected OUT.txt] [--validation-split F --seed S] [--rows N]",
        flags: DataFlags.flags + [
            Flag("--validation-split", "F", "only the rows 'tinynn train --validation-split F --seed S' held out"),
            Flag("--seed", "S", "the training seed, with --validation-split (default 1)"),
            Flag("--rows", "N", "at most the first N of the selected rows"),
            Flag("--header", "OUT.h", "the vectors as a C header (raw features; TINYNN_VECTORS_COUNT, _FEATURES,"
                 + " _CRC32): Scripts/build-firmware BOARD inference --vectors OUT.h"),
            Flag("--model", "MODEL", "the model the firmware runs: its input width is checked against the data"),
            Flag("--expected", "OUT.txt", "with --model: the lines the inference firmware prints for it, 'model crc"
                 + " 0x...', 'vectors N crc 0x...' and 'y ROW 0xBITS...' per row (tinynn predict --bits)"),
        ],
        details: """
            The rows are read by the same reader as 'tinynn train' (header row detected, label in
            --label-column, --limit), so a label in any column is left out of the features. Each
            C literal reads back to the feature's exact float; the input scaling stays in the model
            (the firmware applies it, as 'tinynn predict' does).
            """,
        examples: [
            "tinynn vectors --data Data/digits/digits.csv --validation-split 0.2 --seed 1 --header v.h"
                + " --model digits.tnn --expected expected.txt",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        guard let header = args.string("--header") else { throw args.usage("no --header OUT.h") }
        if args.has("--expected") != args.has("--model") { throw args.usage("--model and --expected go together") }
        if args.has("--seed") && !args.has("--validation-split") { throw args.usage("--seed needs --validation-split") }
        let outputs = [header] + (args.string("--expected").map { [$0] } ?? [])
        let inputs = ["--data", "--images", "--labels", "--model"].compactMap { args.string($0) }
        let outputSet = try Outputs.set(outputs, inputs: inputs, args)
        let vectors = try select(args)
        let model = try args.string("--model").map { p throws(Failure) in try InfoCommand.load(p) }
        try Outputs.stage(model?.quantized != nil ? vectors.int8Header(for: model!) : vectors.header(), for: header, in: outputSet)
        if let path = args.string("--model"), let expected = args.string("--expected"), let model {
            try Outputs.stage(try expectedLines(vectors, model, path).joined(separator: "\n") + "\n", for: expected, in: outputSet)
        }
        try Outputs.commit(outputSet)
        print("wrote \(outputs.joined(separator: ", ")): \(vectors.description), \(vectors.featureCount) features,"
              + " CRC-32 \(ModelFile.hex(vectors.checksum))")
    }

    /// The vectors the data flags, `--validation-split`, `--seed` and `--rows` select.
    static func select(_ args: Arguments, classCount: Int? = nil) throws(Failure) -> TestVectors {
        let fraction = args.has("--validation-split")
            ? Double(try args.float("--validation-split", default: 0, range: 0...0.99)) : nil
        let seed = try args.uint64("--seed", default: 1)
        let rows = args.has("--rows") ? try args.int("--rows", default: 0, range: 1...Int.max) : nil
        let (all, name) = try DataFlags.load(args, classCount: classCount)!
        do { return try TestVectors(all, source: Outputs.baseName(name), heldOut: fraction, seed: seed, rows: rows) }
        catch { throw .data("\(error)") }
    }

    /// The expected firmware lines, after checking that `model` takes the vectors' width.
    static func expectedLines(_ vectors: TestVectors, _ model: Model, _ path: String) throws(Failure) -> [String] {
        guard model.network.inputCount == vectors.featureCount else {
            throw .data("\(path) takes \(model.network.inputCount) features, but the vectors have"
                        + " \(vectors.featureCount) (\(vectors.description)): is --label-column right?")
        }
        if model.quantized != nil { return vectors.int8Expected(for: model) }
        do { return try vectors.expected(for: model) } catch { throw .data("\(error)") }
    }
}
