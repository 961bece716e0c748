import Foundation
import TinyNN
import TinyNNHost

let usage = """
    tinynn-bench: host benchmarks of TinyNN (run from the package root; Scripts/bench drives it).

    USAGE
      tinynn-bench all [--quick] [--json PATH] [--callgrind PATH]
          Every configuration; prints the table, writes the figures as JSON.
          --callgrind PATH  merge instruction counts, lines "config engine steps batch instructions"
      tinynn-bench run NAME [--quick]     one configuration
      tinynn-bench peak                   clock and single-core peak FLOP/s
      tinynn-bench callgrind NAME|all STEPS [per-sample|batched|both]
          Trains STEPS mini-batches inside callgrindRegion per configuration and
          engine, printing "config engine steps batch" after each, for
          valgrind --tool=callgrind --toggle-collect='*callgrindRegion*' --dump-after='*callgrindRegion*'
      tinynn-bench train NAME [per-sample|batched|naive] [--quick] [--cycle N] [--no-next]
          Training samples/s of one configuration and engine only (default batched),
          and the CRC-32 of the parameters' bits after 50 batches (to compare builds);
          --cycle N trains on the first N mini-batches only (inputs in cache);
          --no-next does not tell the batched engine the next batch's inputs;
          TINYNN_HUGE=1 in the environment puts the inputs on transparent huge pages
      tinynn-bench kernels [IN OUT BATCH]  each kernel alone on one layer (default 784 100 10)
      tinynn-bench list                   the configurations
      tinynn-bench inflate FILE [PASSES]  inflates a gzip file PASSES times (default 20); prints the
                                          median and spread of CPU ms per pass (Scripts/bench-zlib.py
                                          does the same with Python's zlib)

    """

struct CallgrindResult: Codable {
    var config: String
    var engine: String
    var steps: Int
    var batchSize: Int
    var instructions: Double
    var instructionsPerSample: Double
    var instructionsPerMAC: Double
    var command: String
}

struct HostReport: Codable {
    var machine: Machine
    var configs: [ConfigResult]
    var callgrind: [CallgrindResult]
}

/// The binary as invoked, for the commands that reproduce each figure.
let binary = CommandLine.arguments[0]

/// Writes to standard error.
func warn(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

func f(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

func printMachine(_ m: Machine) {
    print("CPU: \(m.cpuModel), one core, single precision")
    print("  \(m.peakDerivation)")
    print("  FMA loop (12 chains of SIMD8 fma): \(f(m.measuredFMAGFLOPS, 1)) GFLOP/s"
          + "  [reproduce: \(binary) peak]")
}

func printConfigs(_ rs: [ConfigResult]) {
    print("")
    print("Training (mini-batch 10; samples/s, fastest ~1 ms chunk of each measurement)")
    print(pad("config", 44) + lpad("per-sample", 11) + lpad("batched", 11) + lpad("naive", 9)
          + lpad("×naive", 8) + lpad("GFLOP/s", 9) + lpad("%nominal", 10) + lpad("%measured", 11) + "  bits")
    for r in rs {
        print(pad(r.title, 44)
              + lpad(f(r.training[Engine.perSample.rawValue]!.best), 11)
              + lpad(f(r.training[Engine.batched.rawValue]!.best), 11)
              + lpad(f(r.naiveTrainingSamplesPerSecond), 9)
              + lpad(f(r.trainingSpeedupOverNaive, 1), 8)
              + lpad(f(r.trainingGFLOPS, 1), 9)
              + lpad(f(100 * r.shareOfNominalPeak, 1), 10)
              + lpad(f(100 * r.shareOfMeasuredFMAPeak, 1), 11)
              + "  " + (r.batchedBitIdentical ? "same" : "DIFFER"))
    }
    print("  ×naive: fastest engine / naive scalar reference, same run. GFLOP/s: fastest engine."
          + " %nominal: of the peak at the nominal clock; %measured: of the FMA loop's (the boosted clock).")
    print("  bits: batched and per-sample engines give bit-identical parameters after 50 batches.")
    print("")
    print("Inference (one sample at a time; µs/sample)")
    print(pad("config", 44) + lpad("engine", 9) + lpad("naive", 9) + lpad("×naive", 8) + lpad("MAC", 8)
          + lpad("flop/sample", 13) + lpad("|Δp| naive", 12))
    for r in rs {
        print(pad(r.title, 44)
              + lpad(f(r.inferenceMicrosecondsPerSample, 2), 9)
              + lpad(f(r.naiveInferenceMicrosecondsPerSample, 2), 9)
              + lpad(f(r.inferenceSpeedupOverNaive, 1), 8)
              + lpad("\(r.widths.indices.dropLast().reduce(0) { $0 + r.widths[$1] * r.widths[$1 + 1] })", 8)
              + lpad(f(r.flopsPerTrainingSample), 13)
              + lpad(String(format: "%.1e", Double(r.maxParameterDifferenceToNaive)), 12))
    }
    print("  flop/sample: of one training sample (see BenchConfig.flopsPerTrainingSample);"
          + " |Δp| naive: largest parameter difference after 50 batches (rounding only).")
    for r in rs { print("  reproduce \(pad(r.name, 14)): \(r.command)") }
}

func parseOptions(_ args: ArraySlice<String>) -> [String: String] {
    var options: [String: String] = [:]
    var i = args.startIndex
    while i < args.endIndex {
        let a = args[i]
        if a == "--quick" || a == "--no-next" { options[String(a.dropFirst(2))] = "1" } else if a.hasPrefix("--"), i + 1 < args.endIndex {
            options[String(a.dropFirst(2))] = args[i + 1]
            i += 1
        } else {
            warn("tinynn-bench: unexpected argument \(a)\n\(usage)")
            exit(2)
        }
        i += 1
    }
    return options
}

func readCallgrind(_ path: String, configs: [BenchConfig]) -> [CallgrindResult] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        warn("tinynn-bench: cannot read \(path)\n")
        return []
    }
    return text.split(separator: "\n").compactMap { line in
        let p = line.split(separator: " ").map(String.init)
        guard p.count == 5, let c = configs.first(where: { $0.name == p[0] }),
              let steps = Int(p[2]), let batch = Int(p[3]), let ir = Double(p[4]) else { return nil }
        let samples = Double(steps * batch)
        return CallgrindResult(
            config: c.name, engine: p[1], steps: steps, batchSize: batch, instructions: ir,
            instructionsPerSample: ir / samples, instructionsPerMAC: ir / samples / Double(c.macsPerTrainingSample),
            command: "valgrind --tool=callgrind --toggle-collect='*callgrindRegion*' --callgrind-out-file=/tmp/cg.out"
                + " \(binary) callgrind \(c.name) \(steps) \(p[1]) && grep totals /tmp/cg.out")
    }
}

func runAll(_ options: [String: String]) {
    let budget = options["quick"] != nil ? Budget.quick : Budget.full
    let machine = measureMachine(budget)
    printMachine(machine)
    var results: [ConfigResult] = []
    for c in BenchConfig.all {
        warn("  measuring \(c.name)…\n")
        results.append(benchConfig(c, budget: budget, machine: machine))
    }
    printConfigs(results)

    var callgrind: [CallgrindResult] = []
    if let path = options["callgrind"] {
        callgrind = readCallgrind(path, configs: BenchConfig.all)
        if !callgrind.isEmpty {
            print("")
            print("Instructions per training step (valgrind --tool=callgrind, x86-64 haswell code)")
            print(pad("config", 16) + pad("engine", 12) + lpad("steps", 7) + lpad("instr/sample", 14) + lpad("instr/MAC", 11))
            for c in callgrind {
                print(pad(c.config, 16) + pad(c.engine, 12) + lpad("\(c.steps)", 7)
                      + lpad(f(c.instructionsPerSample), 14) + lpad(f(c.instructionsPerMAC, 3), 11))
            }
            print("  MAC = forward + BP4 + BP2 multiply-adds of one sample (\(BenchConfig.all.map { "\($0.name) \($0.macsPerTrainingSample)" }.joined(separator: ", ")))")
            for c in callgrind { print("  reproduce: \(c.command)") }
        }
    }

    if let path = options["json"] {
        let report = HostReport(machine: machine, configs: results, callgrind: callgrind)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        } catch {
            warn("tinynn-bench: cannot write \(path): \(error)\n")
            exit(1)
        }
    }
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    print(usage)
    exit(0)
}
switch args[1] {
case "all":
    runAll(parseOptions(args[2...]))
case "run":
    guard args.count >= 3, let c = BenchConfig.named(args[2]) else {
        warn("tinynn-bench run: name one of \(BenchConfig.all.map(\.name).joined(separator: ", "))\n")
        exit(2)
    }
    let options = parseOptions(args[3...])
    let budget = options["quick"] != nil ? Budget.quick : Budget.full
    let machine = measureMachine(budget)
    printMachine(machine)
    printConfigs([benchConfig(c, budget: budget, machine: machine)])
case "train":
    guard args.count >= 3, let c = BenchConfig.named(args[2]) else {
        warn("tinynn-bench train: name one of \(BenchConfig.all.map(\.name).joined(separator: ", "))\n")
        exit(2)
    }
    let named = args.count >= 4 && !args[3].hasPrefix("--")
    guard let engine = named ? Engine(rawValue: args[3]) : .batched else {
        warn("tinynn-bench train: the engine is one of \(Engine.allCases.map(\.rawValue).joined(separator: ", "))\n")
        exit(2)
    }
    let options = parseOptions(args[(named ? 4 : 3)...])
    let rate = trainingRate(c, engine: engine, budget: options["quick"] != nil ? .quick : .full,
                            cycle: options["cycle"].flatMap { Int($0) }, prefetchNext: options["no-next"] == nil)
    // The parameters' bits after 50 batches from the seed, to compare builds:
    // their CRC-32 as float32 little-endian, as in an exported header.
    let check = Runner(c, PreparedData(c), engine: engine)
    check.train(batches: 50)
    let crc = crc32(check.parameters.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    print("\(c.name) \(engine.rawValue): \(f(rate.best)) samples/s (fastest chunk; median \(f(rate.median)),"
          + " \(rate.chunks) chunks); parameter bits after 50 batches: \(String(crc, radix: 16))")
case "peak":
    printMachine(measureMachine(.full))
case "callgrind":
    guard args.count >= 4, let steps = Int(args[3]),
          args[2] == "all" || BenchConfig.named(args[2]) != nil else {
        warn(usage)
        exit(2)
    }
    let configs = args[2] == "all" ? BenchConfig.all : [BenchConfig.named(args[2])!]
    let engines: [Engine] = args.count >= 5 && args[4] != "both"
        ? [Engine(rawValue: args[4]) ?? .batched] : [.perSample, .batched]
    // One region per (configuration, engine), in this order; with
    // valgrind --dump-after='*callgrindRegion*' each becomes its own dump.
    for c in configs {
        let prepared = PreparedData(c)
        for engine in engines {
            let runner = Runner(c, prepared, engine: engine)
            runner.train(batches: 1)  // allocate and touch everything outside the region
            _ = callgrindRegion(runner, steps: steps)
            print("\(c.name) \(engine.rawValue) \(steps) \(c.batchSize)")
        }
    }
case "kernels":
    let n = args.count > 2 ? Int(args[2]) ?? 784 : 784, m = args.count > 3 ? Int(args[3]) ?? 100 : 100
    let batch = args.count > 4 ? Int(args[4]) ?? 10 : 10
    benchKernels(inCount: n, outCount: m, batch: batch, budget: .full, clockGHz: readCPUInfo().mhz.map { $0 / 1000 } ?? 1)
case "inflate":
    guard args.count >= 3, let raw = FileManager.default.contents(atPath: args[2]).map({ [UInt8]($0) }) else {
        warn("tinynn-bench inflate: name a readable gzip file\n")
        exit(2)
    }
    benchInflate(raw, file: args[2], passes: args.count > 3 ? Int(args[3]) ?? 20 : 20)
case "list":
    for c in BenchConfig.all { print("\(pad(c.name, 14)) \(c.title)") }
case "-h", "--help", "help":
    print(usage)
default:
    warn(usage)
    exit(2)
}
