import TinyNNHost

/// The int8 rows of `tinynn firmware bench` (`--int8-model H.h --int8-vectors V.h`,
/// an int8 header from `tinynn export` of a quantized model and its vectors):
/// the inference-int8 app on each board under `-icount shift=0`, its whole
/// forward pass (layers, integer softmax, class) and its dense kernels per MAC.
enum FirmwareBenchInt8 {
    static func run(_ args: Arguments, boards: [String], header: String, vectors: String) throws(Failure) {
        var table: [[String]] = []
        for name in boards {
            var b = try FirmwareCommand.make(args, board: name, app: "inference-int8", quiet: true)
            b.model = header
            b.vectors = vectors
            let r = try FirmwareCommand.build(b)
            var q = FirmwareRun(board: b.board, elf: r.elf)
            q.icount = true
            let out = q.run()
            guard out.status == 0 else { throw .data("\(name): the inference-int8 app failed (exit \(out.status))") }
            let o = BenchOutput(out.output)
            guard let i = o.instructions("inference"), let k = o.instructions("dense"), let out8 = o.instructions("output"),
                  let macs = o.value("macs", "macs")
            else { throw .data("\(name): the inference-int8 app's output lacks a figure") }
            table.append([name, formatFixed(i, digits: 1), formatFixed(i / macs, digits: 2), formatFixed(k / macs, digits: 2),
                          formatFixed(out8, digits: 0), r.sizes.map { "\($0.flash)/\($0.ram)" } ?? "n/a"])
        }
        Footprint.table(["board", "int8 instr/infer", "int8 instr/MAC", "int8 kernel/MAC", "int8 output", "int8 flash/RAM"], table)
        print("(int8: --int8-model on the inference-int8 app; instr/infer includes the integer softmax and the class;"
              + " 'int8 output' is that part (probabilities and class) alone; flash includes its test vectors)")
    }
}
