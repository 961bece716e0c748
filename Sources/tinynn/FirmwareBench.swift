import Foundation
import TinyNNHost

/// `tinynn firmware bench BOARDS --model M.tnn --vectors V.h [--relu-model R.tnn] [--json FILE]`:
/// the bench app (`Firmware/Apps/bench`) on each QEMU board under `-icount
/// shift=0`, its figures per inference, per MAC and per training sample and
/// step, and the flash and static RAM of the inference, train and bench
/// firmware; a table, and the same figures as JSON.
enum FirmwareBench {
    static func run(_ args: Arguments, boards list: String) throws(Failure) {
        guard let model = args.string("--model"), let vectors = args.string("--vectors") else {
            throw args.usage("bench needs --model FILE.tnn and --vectors FILE.h (the inputs it times)")
        }
        let root = try FirmwareCommand.root()
        let qemu = Board.all(firmware: root + "/Firmware").filter { !$0.hasPrefix("host") }
        let boards = list == "all" ? qemu : list.split(separator: ",").map(String.init)
        for b in boards where !qemu.contains(b) { throw args.usage("unknown board '\(b)' (QEMU boards: \(qemu.joined(separator: " ")))") }
        var json: [String] = [], table: [[String]] = []
        for name in boards {
            var b = try FirmwareCommand.make(args, board: name, app: "bench", quiet: true)
            if let missing = FirmwareRun(board: b.board, elf: "").missingEmulator() { throw .usage("\(name): \(missing)") }
            func measure(_ m: String) throws(Failure) -> BenchOutput {
                b.app = "bench"
                b.model = m
                let r = try FirmwareCommand.build(b)
                var q = FirmwareRun(board: b.board, elf: r.elf)
                q.icount = true
                let out = q.run()
                guard out.status == 0 else { throw .data("\(name): the bench app failed (exit \(out.status)) with \(m)") }
                return BenchOutput(out.output)
            }
            standardError("firmware bench: \(name)\n")
            let out = try measure(model), relu = try args.string("--relu-model").map { m throws(Failure) in try measure(m) }
            func sizes(_ app: String) throws(Failure) -> ELFSizes {
                b.app = app
                b.model = app == "train" ? nil : model
                b.vectors = app == "train" ? nil : vectors
                return try FirmwareCommand.build(b).sizes!
            }
            let inference = try sizes("inference"), train = try sizes("train"), bench = try sizes("bench")
            guard let i = out.instructions("inference"), let k = out.instructions("dense_kernels"), let s = out.instructions("train_epoch"),
                  let macs = out.value("inference", "macs"), let samples = out.value("train", "samples"),
                  let batch = out.value("train", "batch") else { throw .data("\(name): the bench app's output lacks a figure") }
            let steps = (samples / batch).rounded(.up), reluI = relu?.instructions("inference")
            let f = (inference: formatFixed(i, digits: 1), perMAC: formatFixed(i / macs, digits: 2), kernel: formatFixed(k / macs, digits: 2),
                     activations: formatFixed(i - k, digits: 0), sample: formatFixed(s, digits: 1),
                     step: formatFixed(s * samples / steps, digits: 0),
                     relu: reluI.map { formatFixed($0, digits: 1) } ?? "null", reluMAC: reluI.map { formatFixed($0 / macs, digits: 2) } ?? "null")
            table.append([name, f.inference, f.perMAC, f.kernel, reluI == nil ? "n/a" : f.reluMAC, f.sample, f.step, f.activations,
                          "\(inference.flash)/\(inference.ram)", "\(train.flash)/\(train.ram)", "\(bench.flash)/\(bench.ram)"])
            json.append("""
                    {"board": "\(name)", "network": "[64,32,10]", "macs": \(Int(macs)), "instructions_per_inference": \(f.inference), \
                "instructions_per_mac": \(f.perMAC), "dense_kernel_instructions_per_mac": \(f.kernel), \
                "activation_instructions": \(f.activations), "relu_hidden_instructions_per_inference": \(f.relu), \
                "relu_hidden_instructions_per_mac": \(f.reluMAC), "train_network": "[64,12,10]", "train_batch": \(Int(batch)), \
                "instructions_per_training_sample": \(f.sample), "instructions_per_training_step": \(f.step), \
                "inference_flash_bytes": \(inference.flash), "inference_ram_bytes": \(inference.ram), \
                "train_flash_bytes": \(train.flash), "train_ram_bytes": \(train.ram), "bench_flash_bytes": \(bench.flash), \
                "bench_ram_bytes": \(bench.ram)}
                """)
        }
        Footprint.table(["board", "instr/infer", "instr/MAC", "kernel/MAC", "ReLU/MAC", "instr/sample", "instr/step", "activations",
                         "inference flash/RAM", "train flash/RAM", "bench flash/RAM"], table)
        print("(instructions under QEMU -icount shift=0; instr/infer: the forward pass, activations included, input scaling not;\n"
              + " 'activations' is that part; kernel/MAC: the dense kernels alone; ReLU/MAC: instr/MAC of --relu-model, the same\n"
              + " shape with a ReLU hidden layer; training: the train app's [64,12,10] run, batch 10; inference flash includes\n"
              + " the test vectors, train flash its 200 samples; RAM is static, no stack)")
        if let header = args.string("--int8-model") {
            guard let v = args.string("--int8-vectors") else { throw args.usage("--int8-model needs --int8-vectors V.h") }
            try FirmwareBenchInt8.run(args, boards: boards, header: header, vectors: v)
        }
        if let file = args.string("--json") {
            let text = "{\n  \"measured_with\": \"QEMU -icount shift=0 (1 instruction = 1 ns), board clock around a loop\",\n"
                + "  \"boards\": [\n" + json.joined(separator: ",\n") + "\n  ]\n}\n"
            do {
                try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path,
                                                        withIntermediateDirectories: true)
                try FileIO.writeAtomically(text, to: file)
            } catch { throw .data("\(file): cannot write it") }
            print("wrote \(file)")
        }
    }
}
