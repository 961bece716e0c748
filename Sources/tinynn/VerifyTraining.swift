import Foundation
import TinyNNHost

/// `tinynn verify --train`: the train app (`Firmware/Apps/train`) on boards
/// against `tinynn train` with the same runs (``TrainRuns``): each run's loss,
/// learning rate and every parameter bit for bit (``TrainCheck``).
enum VerifyTraining {
    static func run(_ args: Arguments) throws(Failure) {
        for flag in ["--data", "--images", "--validation-split", "--rows", "--expected", "--footprint"] where args.has(flag) {
            throw args.usage("--train takes the runs of Firmware/Apps/train/runs.env, not \(flag)")
        }
        guard args.positionals.isEmpty else { throw args.usage("--train takes no model") }
        let root = try FirmwareCommand.root(), dir = root + "/Firmware/Apps/train"
        let runs: TrainRuns
        do { runs = try TrainRuns(directory: dir) } catch { throw .data(error.description) }
        let expected = try reference(runs, work: root + "/.build/verify-train")
        let total = runs.runs.count
        if let file = args.string("--firmware-output") {
            guard !args.has("--board") else { throw args.usage("give --board or --firmware-output, not both") }
            let text = try VerifyCommand.readText(file)
            return try report([VerifyCommand.Row(board: Outputs.baseName(file), train: TrainCheck(expected: expected, output: text))], runs: total)
        }
        let builds = try VerifyCommand.boardBuilds(args, app: "train")
        let work = root + "/.build/verify-train"
        let rows = try VerifyCommand.forEach(builds, args) { b in
            var row = VerifyCommand.Row(board: b.board.name)
            standardError("verify: \(row.board): the train firmware (\(total) runs; built unless cached by content)\n")
            let result: FirmwareBuild.Result
            do { result = try b.build() } catch { row.note = "build failed: \(error)"; return row }
            standardError("verify: \(row.board): training\n")
            let run = FirmwareRun(board: b.board, elf: result.elf).run()
            try? FileIO.writeAtomically(run.output, to: "\(work)/\(row.board).txt")
            row.train = TrainCheck(expected: expected, output: run.output)
            if run.status != 0 { row.note = "exit \(run.status): " + run.output.split(separator: "\n").suffix(1).joined() }
            if let s = result.sizes, let tools = try? Toolchain.find() {
                row.flash = "\(s.flash)"
                row.ram = "\(s.ram)"
                row.footprint = Footprint.training(result.elf, s, tools, output: run.output)
            }
            return row
        }
        try report(rows, runs: total)
    }

    /// Each run trained by this tinynn (`tinynn train` with the run's flags)
    /// into `work`, as the lines of ``BitDump/modelValues(_:name:)``.
    static func reference(_ runs: TrainRuns, work: String) throws(Failure) -> [(name: String, lines: [String])] {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) }
        catch { throw .data("\(work): cannot create it") }
        var expected: [(name: String, lines: [String])] = []
        for r in runs.runs {
            let file = "\(work)/\(r.name).tnn"
            let train = Shell.run(me, r.trainArguments(dataDirectory: runs.directory) + ["--output", file])
            guard train.status == 0 else {
                throw .data("tinynn train (run \(r.prefix) of runs.env) failed: \(train.stderr.split(separator: "\n").last ?? "")")
            }
            expected.append((r.name, BitDump.modelValues(try InfoCommand.load(file), name: r.name)))
        }
        return expected
    }

    static func report(_ rows: [VerifyCommand.Row], runs: Int) throws(Failure) {
        var failures: [String] = []
        Footprint.table(["board", "runs", "values", "equal", "flash B", "RAM B", "weights+grad B", "order+batch B", "stack B"],
                        rows.map { r in
            let c = r.train, f = r.footprint ?? ["n/a", "n/a", "n/a", "n/a"]
            if let d = c?.firstDifference { failures.append("\(r.board): first difference: \(d)") }
            if let n = r.note { failures.append("\(r.board): \(n)") }
            return [r.board, "\(c?.runs ?? 0)/\(runs)", "\(c?.values ?? 0)", c?.isEqual == true && r.note == nil ? "yes" : "no",
                    r.flash, r.ram, f[1], f[2], f[3]]
        })
        print("(the train app's runs against tinynn train: loss, learning rate and every parameter; RAM is static,"
              + " weights+grad the Dense layers' w, b, gradient sums, z, a, δ; stack: peak, measured by painting)")
        guard failures.isEmpty else {
            for f in failures { print(f) }
            throw .data("\(failures.count) board(s) not equal: \(failures[0])")
        }
    }
}
