import Foundation
import TinyNN
import TinyNNHost

/// `tinynn verify`: a model and test data to the boards, and the proof that
/// each computes the host's bits (``FirmwareCheck``).
enum VerifyCommand {
    static let command = Command(
        name: "verify",
        summary: "build the inference firmware for a model, run it on boards under QEMU, compare bit for bit",
        synopsis: "verify MODEL (--data FILE.csv [--label-column C] | --images FILE --labels FILE)"
            + " [--validation-split F --seed S] [--rows N] (--board B,...|all [--jobs N] [--footprint] | --firmware-output FILE)"
            + " | verify --train (--board B,...|all | --firmware-output FILE)",
        positionals: ["MODEL"],
        flags: DataFlags.flags + [
            Flag("--validation-split", "F", "only the rows 'tinynn train --validation-split F --seed S' held out;"
                 + " the host's accuracy on them must then be the one the model file records"),
            Flag("--seed", "S", "the training seed, with --validation-split (default 1)"),
            Flag("--rows", "N", "at most the first N of the selected rows"),
            Flag("--board", "B,...", "boards (folders of Firmware/Boards) or all"),
            Flag("--firmware-output", "FILE", "compare what an inference firmware printed (saved to FILE)"
                 + " instead of running boards"),
            Flag("--expected", "FILE.txt", "with --firmware-output: compare with these lines (tinynn vectors"
                 + " --expected) instead of reading data"),
            Flag("--no-instructions", nil, "skip counting instructions per inference (the bench app under -icount)"),
            Flag("--footprint", nil, "also print each QEMU board's footprint: code and constants beside the model's"
                 + " arrays and the vectors, the core's code, activations' RAM, the stack's peak, instructions per MAC"),
            Flag("--jobs", "N", "boards built and run at once (default 2)"),
            Flag("--train", nil, "instead of a model: the train app (Firmware/Apps/train/runs.env) against 'tinynn train'"
                 + " with the same runs, loss, learning rate and every parameter bit for bit"),
        ],
        details: """
            The test vectors are read as 'tinynn train' reads data (header row, label column,
            --limit) and written into .build/verify-model/MODELCRC-VECTORSCRC/; each board's inference firmware is
            built for the model as 'tinynn firmware build' builds it (cached by content; its progress
            goes to standard error) and run under QEMU. The firmware prints the model's
            CRC-32 and the vectors' count and CRC-32, then every output's bits; a firmware that
            ran another model or other vectors is refused, and the first differing output is
            printed with both bit patterns and values. Exit 0 when every board is equal, 1 when
            one differs or is refused, 2 for a bad command line.
            """,
        examples: [
            "tinynn verify wine.tnn --data Data/wine/wine.csv --label-column 0 --validation-split 0.2 --board all",
            "tinynn verify --train --board microbit,riscv32",
        ],
        run: run)

    struct Row: Sendable {
        var board: String
        var check: FirmwareCheck?
        var train: TrainCheck?
        var note: String?
        var flash = "n/a", ram = "n/a", instructions = "n/a"
        /// --footprint's columns, QEMU boards only.
        var footprint: [String]?
    }

    static func run(_ args: Arguments) throws(Failure) {
        if args.has("--train") { return try VerifyTraining.run(args) }
        let path = try InfoCommand.modelPath(args)
        let model = try InfoCommand.load(path)
        if let file = args.string("--expected") {
            guard let output = args.string("--firmware-output"), !args.has("--data"), !args.has("--images") else {
                throw args.usage("--expected compares a saved --firmware-output, without --data or --images")
            }
            let want = try readText(file)
            let expected = want.split(separator: "\n").map(String.init)
            guard expected.first == BitDump.modelLine(model.quantized?.crc ?? CHeader.parameterCRC(model.network)) else {
                throw .data("\(file) is not the expected output of \(path) (its first line is not \(path)'s 'model crc')")
            }
            try compareSaved(output, expected: expected, labels: [], description: "\(Outputs.baseName(file))",
                             integerOutputs: model.quantized?.outputCount)
            return
        }
        let classes = model.network.outputCount == 1 ? 2 : model.network.outputCount
        let vectors = try VectorsCommand.select(args, classCount: classes)
        let expected = try VectorsCommand.expectedLines(vectors, model, path)
        let known = try knownAnswer(vectors, model, path, expected: expected, args)

        if let file = args.string("--firmware-output") {
            guard !args.has("--board") else { throw args.usage("give --board or --firmware-output, not both") }
            try compareSaved(file, expected: expected, labels: vectors.data.labels, description: "\(vectors.description); \(known)",
                             integerOutputs: model.quantized?.outputCount)
            return
        }
        guard args.string("--board") != nil else { throw args.usage("no --board B (or all) and no --firmware-output") }
        let int8 = model.quantized != nil
        let builds = try boardBuilds(args, app: int8 ? "inference-int8" : "inference")
        // Named by content, so that verify runs at once (of other models or vectors) never share files.
        let work = builds[0].root + "/.build/verify-model/\(ModelFile.hex(CHeader.parameterCRC(model.network)))"
            + "-\(ModelFile.hex(vectors.checksum))" + (int8 ? "-int8" : "")
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) }
        catch { throw .data("\(work): cannot create it") }
        let vectorsHeader = "\(work)/vectors.h", int8Header = "\(work)/model-int8.h"
        let outputSet = try Outputs.set([vectorsHeader, "\(work)/expected.txt"] + (int8 ? [int8Header] : []), inputs: [], args)
        try Outputs.stage(int8 ? vectors.int8Header(for: model) : vectors.header(), for: vectorsHeader, in: outputSet)
        // The int8 app's generator reads the int8 C header (tinynn export of the quantized model).
        if int8 { try Outputs.stage(Int8Header.render(model, name: "model", source: Outputs.baseName(path)), for: int8Header, in: outputSet) }
        try Outputs.stage(expected.joined(separator: "\n") + "\n", for: "\(work)/expected.txt", in: outputSet)
        try Outputs.commit(outputSet)
        let labels = vectors.data.labels, shape = InfoCommand.shape(model.network), count = vectors.count
        let integerOutputs = model.quantized?.outputCount
        let bench = !args.has("--no-instructions"), footprint = args.has("--footprint")
        let rows = try forEach(builds, args) { build in
            var b = build
            b.model = int8 ? int8Header : path
            b.vectors = vectorsHeader
            var row = Row(board: b.board.name)
            standardError("verify: \(row.board): the inference firmware for \(shape) and \(count) vectors"
                          + " (built unless cached by content)\n")
            let result: FirmwareBuild.Result
            do { result = try b.build() } catch {
                row.note = "build failed: \(error)"
                return row
            }
            if let s = result.sizes { row.flash = "\(s.flash)"; row.ram = "\(s.ram)" }
            standardError("verify: \(row.board): running\n")
            var runner = FirmwareRun(board: b.board, elf: result.elf)
            runner.icount = int8 && b.board.kind == .qemu  // the int8 app counts its own instructions
            let run = runner.run()
            output(run.output, to: "\(work)/\(row.board).txt")
            row.check = FirmwareCheck(expected: expected, output: run.output, labels: labels,
                                      integerOutputs: integerOutputs)
            if run.status != 0 { row.note = "exit \(run.status): " + run.output.split(separator: "\n").suffix(1).joined() }
            guard b.board.kind == .qemu else { return row }
            var out: BenchOutput?
            if int8 {
                out = BenchOutput(run.output)  // the int8 app counts its own instructions
                row.instructions = out?.instructions("inference").map { formatFixed($0, digits: 1) } ?? "n/a"
            } else if bench {
                standardError("verify: \(row.board): counting instructions (bench app, QEMU -icount)\n")
                b.app = "bench"
                if let r = try? b.build() {
                    var q = FirmwareRun(board: b.board, elf: r.elf)
                    q.icount = true
                    out = BenchOutput(q.run().output)
                    row.instructions = out?.instructions("inference").map { formatFixed($0, digits: 1) } ?? "n/a"
                }
            }
            if footprint, let sizes = result.sizes, let tools = try? Toolchain.find() {
                row.footprint = Footprint.inference(result.elf, sizes, tools, output: run.output, bench: out)
            }
            return row
        }
        try report(rows, description: "\(vectors.description); \(known)", labelled: true)
        if footprint { Footprint.printInference(rows) }
    }

    /// The boards of `--board`, each a ``FirmwareBuild`` of `app`, checked before any work.
    static func boardBuilds(_ args: Arguments, app: String) throws(Failure) -> [FirmwareBuild] {
        guard let list = args.string("--board") else { throw args.usage("no --board B (or all) and no --firmware-output") }
        let root = try FirmwareCommand.root()
        let known = Board.all(firmware: root + "/Firmware")
        let chosen = list == "all" ? known : list.split(separator: ",").map(String.init)
        guard !chosen.isEmpty else { throw args.usage("--board: no boards given") }
        var builds: [FirmwareBuild] = []
        for b in chosen {
            guard known.contains(b) else {
                throw args.usage("--board: unknown board '\(b)' (Firmware/Boards: \(known.joined(separator: ", ")), or all)")
            }
            let build = try FirmwareCommand.make(args, board: b, app: app)
            if let missing = FirmwareRun(board: build.board, elf: "").missingEmulator() { throw .usage("\(b): \(missing)") }
            builds.append(build)
        }
        return builds
    }

    /// `body` for every build, `--jobs` at a time (default 2), the rows in board order.
    static func forEach(_ builds: [FirmwareBuild], _ args: Arguments, _ body: @escaping @Sendable (FirmwareBuild) -> Row) throws(Failure) -> [Row] {
        let jobs = try args.int("--jobs", default: 2, range: 1...64)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var rows: [Row?]
            var next = 0
            init(_ n: Int) { rows = Array(repeating: nil, count: n) }
            func take() -> Int? { lock.lock(); defer { lock.unlock() }; guard next < rows.count else { return nil }; next += 1; return next - 1 }
            func put(_ k: Int, _ row: Row) { lock.lock(); rows[k] = row; lock.unlock() }
        }
        let results = Results(builds.count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, builds.count)) { _ in
            while let k = results.take() { results.put(k, body(builds[k])) }
        }
        return results.rows.map { $0! }
    }

    /// Compares a saved firmware output with `expected`.
    /// `integerOutputs`: an int8 model's output count (``FirmwareCheck``).
    static func compareSaved(_ file: String, expected: [String], labels: [Int], description: String,
                             integerOutputs: Int?) throws(Failure) {
        let text = try readText(file)
        let row = Row(board: Outputs.baseName(file),
                      check: FirmwareCheck(expected: expected, output: text, labels: labels, integerOutputs: integerOutputs))
        try report([row], description: description, labelled: !labels.isEmpty)
    }

    /// The known answers, before any firmware output is compared: the host's
    /// outputs for the first, middle and last row are a float64 forward pass
    /// of the model on those rows (``KnownAnswer``); and when the vectors are
    /// the rows the model was tested on, the host's accuracy on them is the one
    /// the model file records. Returns what was checked, for the table's caption.
    static func knownAnswer(_ vectors: TestVectors, _ model: Model, _ path: String, expected: [String],
                            _ args: Arguments) throws(Failure) -> String {
        if model.quantized != nil { return "int8 outputs of the host's integer kernels" }
        let rows: [Int]
        switch KnownAnswer.check(model, vectors, expected: expected) {
        case .success(let r): rows = r
        case .failure(let e): throw .data("\(path): known answer: \(e)")
        }
        let checked = "known answer: rows \(rows.map(String.init).joined(separator: ", ")) = a float64 forward pass"
        guard args.has("--validation-split"), !args.has("--rows"), model.training.testSamples == vectors.count else { return checked }
        var correct = 0
        for (k, line) in expected.filter({ $0.hasPrefix("y ") }).enumerated() {
            let y = BitDump.parse(Substring(line))!.bits.map(Float.init(bitPattern:))
            if Model.predictedClass(y) == vectors.data.labels[k] { correct += 1 }
        }
        let accuracy = Float(Double(correct) / Double(vectors.count))
        guard accuracy == model.training.accuracy else {
            throw .data("\(path) records accuracy \(model.training.accuracy) on its \(model.training.testSamples) held-out"
                        + " rows, the host gets \(accuracy) on these \(vectors.count): not the rows it was tested on"
                        + " (--label-column, --seed, --validation-split?)")
        }
        return checked + ", accuracy = the model file's"
    }

    static func report(_ rows: [Row], description: String, labelled: Bool) throws(Failure) {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print(pad("board", 14) + pad("rows", 6) + pad("outputs", 9) + pad("equal", 7) + pad("classes", 10)
              + pad("accuracy", 10) + pad("flash B", 9) + pad("RAM B", 8) + "instr/inference")
        var failures: [String] = []
        for row in rows {
            let c = row.check
            let equal = c?.isEqual == true && row.note == nil ? "yes" : "no"
            let accuracy = c.map { $0.rows > 0 && labelled ? formatFixed(100 * Double($0.correct) / Double($0.rows), digits: 1) + "%" : "-" } ?? "-"
            print(pad(row.board, 14) + pad("\(c?.rows ?? 0)", 6) + pad("\(c?.outputs ?? 0)", 9) + pad(equal, 7)
                  + pad("\(c?.classesAgreeing ?? 0)/\(c?.rows ?? 0)", 10) + pad(accuracy, 10) + pad(row.flash, 9)
                  + pad(row.ram, 8) + row.instructions)
            if let r = c?.refusal { failures.append("\(row.board): refused: \(r)") }
            if let d = c?.firstDifference { failures.append("\(row.board): first difference: \(d)") }
            if let n = row.note { failures.append("\(row.board): \(n)") }
        }
        print("(\(description); model crc and vectors crc checked on every board)")
        guard failures.isEmpty else {
            for f in failures { print(f) }
            throw .data("\(failures.count) board(s) not equal: \(failures[0])")
        }
    }

    /// A saved text file, read with the bound every input has (FileIO).
    static func readText(_ file: String) throws(Failure) -> String {
        do { return String(decoding: try FileIO.contents(of: file), as: UTF8.self) } catch { throw .data(error.description) }
    }

    static func output(_ text: String, to path: String) {
        try? FileIO.writeAtomically(text, to: path)
    }
}
