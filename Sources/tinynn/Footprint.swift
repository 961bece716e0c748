import TinyNNHost

/// `tinynn verify --footprint`: what an inference or train firmware takes on
/// a QEMU board, from its ELF's symbols (llvm-nm) and what it printed.
enum Footprint {
    /// code+consts (flash minus the model's arrays and the vectors), core
    /// (TinyNN's functions, and on mps2-an386 the dense kernel in assembly),
    /// model, vectors, activations (the FlashDense layers' z, a and pointers,
    /// the scaled input; int8: the glue's z1, a1, ... and probabilities), stack peak, instructions per MAC (whole inference,
    /// dense kernels alone).
    static func inference(_ elf: String, _ s: ELFSizes, _ tools: Toolchain, output: String, bench: BenchOutput?) -> [String] {
        func bytes(_ r: Regex<Substring>) -> Int { ELFSizes.symbolBytes(elf, tools) { $0.wholeMatch(of: r) != nil } }
        // An int8 model's arrays also hold multipliers (m), negative multipliers (n) and tables (t).
        let model = bytes(#/tinynn_model_(?:[wbmnt][0-9]+|offset|scale)/#), vectors = bytes(#/tinynn_vectors(?:_int8)?/#)
        // The inference-int8 app prints `macs N` on its own line and its kernels as `dense`.
        let macs = bench?.value("inference", "macs") ?? bench?.value("macs", "macs")
        func perMAC(_ name: String) -> String {
            guard let i = bench?.instructions(name) ?? (name == "dense_kernels" ? bench?.instructions("dense") : nil),
                  let m = macs, m > 0 else { return "n/a" }
            return formatFixed(i / m, digits: 2)
        }
        return ["\(s.flash - model - vectors)", "\(bytes(#/(?:\$e6TinyNN|tinynn_dense_).*/#))", "\(model)", "\(vectors)",
                "\(bytes(#/.*(?:modelLayer[0-9]|modelScaledInput).*vp|[za][0-9]+|probabilities/#))", stackPeak(output), perMAC("inference"),
                perMAC("dense_kernels")]
    }

    /// train RAM (static), weights+grad (the Dense layers: w, b, gradient
    /// sums, z, a, δ), order+batch (the shuffle order and the batch), stack peak.
    static func training(_ elf: String, _ s: ELFSizes, _ tools: Toolchain, output: String) -> [String] {
        func bytes(_ r: Regex<Substring>) -> Int { ELFSizes.symbolBytes(elf, tools) { $0.wholeMatch(of: r) != nil } }
        return ["\(s.ram)", "\(bytes(#/.*[a-z]+Layer[0-9].*vp/#))", "\(bytes(#/.*[a-z]+(?:Order|BatchInputs|BatchTargets).*vp/#))",
                stackPeak(output)]
    }

    /// `stack peak N`, the deepest stack word the firmware used.
    static func stackPeak(_ output: String) -> String {
        output.split(separator: "\n").first { $0.hasPrefix("stack peak ") }.map { String($0.dropFirst(11)) } ?? "n/a"
    }

    static func printInference(_ rows: [VerifyCommand.Row]) {
        print("\nfootprint (QEMU boards; weights in flash):")
        table(["board", "code+consts B", "core B", "model B", "vectors B", "activations B", "stack B", "instr/MAC", "kernel/MAC"],
              rows.compactMap { r in r.footprint.map { [r.board] + $0 } })
        print("(code+consts: flash minus the model's arrays (parameters, input scaling) and the test vectors, of which core:\n"
              + " the TinyNN functions (kernels, activations; on mps2-an386 also Support/dense_vfp.c), the rest app and board\n"
              + " support; activations: the layers' z and a and the scaled input; stack: peak, measured by painting;\n"
              + " instr/MAC: instructions per multiply-accumulate under QEMU -icount, whole inference and dense kernels alone)")
    }

    /// Left-aligned columns, each as wide as its widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { k in all.map { k < $0.count ? $0[k].count : 0 }.max()! }
        for r in all {
            print(r.indices.map { k in r[k] + String(repeating: " ", count: k + 1 < r.count ? widths[k] - r[k].count + 2 : 0) }.joined())
        }
    }
}
