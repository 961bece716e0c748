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
            + " [--validation-split F --seed S] [--rows N] (--board B,...|all | --firmware-output FILE)",
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
        ],
        details: """
            The test vectors are read as 'tinynn train' reads data (header row, label column,
            --limit) and written with the model's header into .build/verify-model/; each board's
            inference firmware is built by Scripts/build-firmware (cached by content; its progress
            goes to standard error) and run by Scripts/run-firmware. The firmware prints the model's
            CRC-32 and the vectors' count and CRC-32, then every output's bits; a firmware that
            ran another model or other vectors is refused, and the first differing output is
            printed with both bit patterns and values. Exit 0 when every board is equal, 1 when
            one differs or is refused, 2 for a bad command line.
            """,
        examples: [
            "tinynn verify wine.tnn --data Data/wine/wine.csv --label-column 0 --validation-split 0.2 --board all",
        ],
        run: run)

    struct Row {
        var board: String
        var check: FirmwareCheck?
        var note: String?
        var flash = "n/a", ram = "n/a", instructions = "n/a"
    }

    static func run(_ args: Arguments) throws(Failure) {
        let path = try InfoCommand.modelPath(args)
        let model = try InfoCommand.load(path)
        if let file = args.string("--expected") {
            guard let output = args.string("--firmware-output"), !args.has("--data"), !args.has("--images") else {
                throw args.usage("--expected compares a saved --firmware-output, without --data or --images")
            }
            let want: String
            do { want = try String(contentsOfFile: file, encoding: .utf8) } catch { throw .data("\(file): cannot read it") }
            let expected = want.split(separator: "\n").map(String.init)
            guard expected.first == BitDump.modelLine(model.quantized?.crc ?? CHeader.parameterCRC(model.network)) else {
                throw .data("\(file) is not the expected output of \(path) (its first line is not \(path)'s 'model crc')")
            }
            try compareSaved(output, expected: expected, labels: [], description: "\(Outputs.baseName(file))")
            return
        }
        let classes = model.network.outputCount == 1 ? 2 : model.network.outputCount
        let vectors = try VectorsCommand.select(args, classCount: classes)
        let expected = try VectorsCommand.expectedLines(vectors, model, path)
        try knownAnswer(vectors, model, path, expected: expected, args)

        if let file = args.string("--firmware-output") {
            guard !args.has("--board") else { throw args.usage("give --board or --firmware-output, not both") }
            try compareSaved(file, expected: expected, labels: vectors.data.labels, description: vectors.description)
            return
        }
        guard let boardList = args.string("--board") else { throw args.usage("no --board B (or all) and no --firmware-output") }
        let root = try repositoryRoot()
        let known = boards(root)
        let chosen = boardList == "all" ? known : boardList.split(separator: ",").map(String.init)
        for b in chosen where !known.contains(b) {
            throw args.usage("--board: unknown board '\(b)' (Firmware/Boards: \(known.joined(separator: ", ")), or all)")
        }
        let work = "\(root)/.build/verify-model"
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) }
        catch { throw .data("\(work): cannot create it") }
        let header = "\(work)/model.h", vectorsHeader = "\(work)/vectors.h"
        let outputSet = try Outputs.set([header, vectorsHeader, "\(work)/expected.txt"], inputs: [], args)
        let int8 = model.quantized != nil, app = int8 ? "inference-int8" : "inference"
        try Outputs.stage(int8 ? Int8Header.render(model, name: "model", source: Outputs.baseName(path))
                          : CHeader.render(model, name: "model", source: Outputs.baseName(path)), for: header, in: outputSet)
        try Outputs.stage(int8 ? vectors.int8Header(for: model) : vectors.header(), for: vectorsHeader, in: outputSet)
        try Outputs.stage(expected.joined(separator: "\n") + "\n", for: "\(work)/expected.txt", in: outputSet)
        try Outputs.commit(outputSet)
        let inputs = ["--model", header, "--vectors", vectorsHeader]
        var rows: [Row] = []
        for board in chosen {
            var row = Row(board: board)
            standardError("verify: \(board): building the inference firmware for \(InfoCommand.shape(model.network))"
                          + " and \(vectors.count) vectors (Scripts/build-firmware, cached by content)\n")
            let build = shell(root, "Scripts/build-firmware", [board, app] + inputs)
            guard build.status == 0 else {
                row.note = "build failed (exit \(build.status))"
                rows.append(row)
                continue
            }
            if let sizes = build.stdout.split(separator: "\n").first(where: { $0.contains("flash ") && $0.contains(" of ") }) {
                let words = sizes.split(separator: " ")
                if let f = words.firstIndex(of: "flash"), let r = words.firstIndex(of: "RAM") {
                    row.flash = String(words[f + 1]); row.ram = String(words[r + 1])
                }
            }
            standardError("verify: \(board): running\n")
            let run = shell(root, "Scripts/run-firmware", [board, app] + inputs + (int8 && !board.hasPrefix("host") ? ["--icount"] : []))
            output(run.stdout, to: "\(work)/\(board).txt")
            row.check = FirmwareCheck(expected: expected, output: run.stdout, labels: vectors.data.labels,
                                      integerOutputs: model.quantized?.outputCount)
            if run.status != 0 {
                row.note = "exit \(run.status): " + (run.stdout + run.stderr).split(separator: "\n").suffix(1).joined()
            }
            if int8, !board.hasPrefix("host") {
                row.instructions = instructionsPerInference(run.stdout) ?? "n/a"  // the int8 app counts its own
            } else if !args.has("--no-instructions"), !board.hasPrefix("host") {
                standardError("verify: \(board): counting instructions (bench app, QEMU -icount)\n")
                let bench = shell(root, "Scripts/run-firmware", [board, "bench", "--icount"] + inputs)
                row.instructions = instructionsPerInference(bench.stdout) ?? "n/a"
            }
            rows.append(row)
        }
        try report(rows, description: vectors.description, labelled: true)
    }

    /// Compares a saved firmware output with `expected`.
    static func compareSaved(_ file: String, expected: [String], labels: [Int], description: String) throws(Failure) {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw .data("\(file): cannot read it") }
        let row = Row(board: Outputs.baseName(file), check: FirmwareCheck(expected: expected, output: text, labels: labels))
        try report([row], description: description, labelled: !labels.isEmpty)
    }

    /// The known answer: when the vectors are the rows the model was tested on,
    /// the host's accuracy on them is the one the model file records.
    static func knownAnswer(_ vectors: TestVectors, _ model: Model, _ path: String, expected: [String],
                            _ args: Arguments) throws(Failure) {
        guard args.has("--validation-split"), !args.has("--rows"), model.training.testSamples == vectors.count,
              model.quantized == nil else { return }  // an int8 model's accuracy is not the recorded float one
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

    /// Instructions per inference from the bench app's line
    /// `inference runs R ticks T tick_ps P` (one tick T·P/1000 instructions under -icount shift=0).
    static func instructionsPerInference(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            let w = line.split(separator: " ")
            guard w.count >= 7, w[0] == "inference", w[1] == "runs", let r = Double(w[2]), let t = Double(w[4]),
                  let p = Double(w[6]), r > 0 else { continue }
            return formatFixed(t * p / 1000 / r, digits: 1)
        }
        return nil
    }

    /// The boards: every folder of Firmware/Boards with a board.env.
    static func boards(_ root: String) -> [String] {
        let dir = "\(root)/Firmware/Boards"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/board.env") }.sorted { a, b in
            // Host builds first (the references), then the QEMU boards.
            (a.hasPrefix("host") ? 0 : 1, a) < (b.hasPrefix("host") ? 0 : 1, b)
        }
    }

    /// The checkout this tinynn was built in (it holds Scripts/ and Firmware/), or the current directory's.
    static func repositoryRoot() throws(Failure) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        for start in [URL(fileURLWithPath: me), URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/x")] {
            var dir = start.deletingLastPathComponent()
            while dir.path != "/" {
                if FileManager.default.isExecutableFile(atPath: dir.path + "/Scripts/run-firmware") { return dir.path }
                dir.deleteLastPathComponent()
            }
        }
        throw .data("no TinyNN checkout (Scripts/run-firmware) above \(me) or the current directory")
    }

    /// Runs a script of the checkout; its standard error passes through (build progress).
    static func shell(_ root: String, _ script: String, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(root)/\(script)")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.standardError
        do { try p.run() } catch { return (127, "", "\(script): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), "")
    }

    static func output(_ text: String, to path: String) {
        try? FileIO.writeAtomically(text, to: path)
    }
}
