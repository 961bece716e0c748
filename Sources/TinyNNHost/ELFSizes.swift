/// A firmware ELF's sizes: the four sections `Firmware/Support/sections.ld`
/// places (`.text`, `.rodata`, `.data`, `.bss`), read with llvm-objdump, and
/// the board's FLASH and RAM from its `link.ld`.
public struct ELFSizes: Sendable, Equatable {
    public var text = 0, rodata = 0, data = 0, bss = 0
    public var flashSize: Int?, ramSize: Int?
    /// Code, constants and initial data: what the flash holds.
    public var flash: Int { text + rodata + data }
    /// Static RAM (the stack takes the rest).
    public var ram: Int { data + bss }

    /// The sections that may take up memory.
    public static let planned: Set<String> = [".text", ".rodata", ".data", ".bss"]

    public init(elf: String, memory: (flash: Int, ram: Int)?, _ tools: Toolchain) throws(FirmwareError) {
        for s in try ELFSizes.sections(of: elf, tools) {
            switch s.name { case ".text": text = s.size; case ".rodata": rodata = s.size
            case ".data": data = s.size; case ".bss": bss = s.size; default: break }
        }
        flashSize = memory?.flash
        ramSize = memory?.ram
    }

    /// `llvm-objdump -h` parsed: each section's name, size, and whether it is
    /// loaded (TEXT, DATA or BSS).
    public static func sections(of elf: String, _ tools: Toolchain) throws(FirmwareError) -> [(name: String, size: Int, loaded: Bool)] {
        let r = Shell.run(tools.objdump, ["-h", elf])
        guard r.status == 0 else { throw FirmwareError("\(elf): llvm-objdump failed: \(r.stderr.split(separator: "\n").first ?? "")") }
        return parseSections(r.stdout)
    }

    /// `Idx Name Size VMA Type` lines; sizes are hex (`00000e30`).
    public static func parseSections(_ text: String) -> [(name: String, size: Int, loaded: Bool)] {
        text.split(separator: "\n").compactMap { line in
            let w = line.split(separator: " ")
            guard w.count >= 5, Int(w[0]) != nil, let size = Int(w[2], radix: 16) else { return nil }
            let type = w[4...].joined(separator: " ")
            return (String(w[1]), size, type.contains("TEXT") || type.contains("DATA") || type.contains("BSS"))
        }
    }

    /// The summed sizes of the symbols whose names `matches` accepts (`llvm-nm -S`).
    public static func symbolBytes(_ elf: String, _ tools: Toolchain, _ matches: (Substring) -> Bool) -> Int {
        Shell.run(tools.nm, ["-S", elf]).stdout.split(separator: "\n").reduce(0) { total, line in
            let w = line.split(separator: " ")
            guard w.count == 4, matches(w[3]), let size = Int(w[1], radix: 16) else { return total }
            return total + size
        }
    }

    /// `  text 4100 (code 3000 + rodata 1100)  data 0  bss 400` and the flash/RAM line.
    public var lines: [String] {
        var l = ["  text \(text + rodata) (code \(text) + rodata \(rodata))  data \(data)  bss \(bss)"]
        if let f = flashSize, let r = ramSize {
            l.append("  flash \(flash) of \(f) bytes, RAM \(ram) of \(r) bytes (\(r - ram) left for the stack)")
        }
        return l
    }
}
