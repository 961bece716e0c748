import Foundation

/// `libtinynn-BOARD.a` for a C firmware project built with gcc: the Embedded
/// Swift core (with the board's firmware flags, ``FirmwareBuild/swiftFlags(clangFlags:)``)
/// and the C API (`Firmware/CAPI/CAPI.swift`), the assembly kernels
/// (`Support/dense_*.c`, each guarded by its CPU features), the soft-float and
/// runtime helpers (`Support/softfloat.c`, `builtins.c`), and the entry point
/// under its ABI name, as one relocatable object (`ld -r --gc-sections` from
/// the entry points) in an archive, beside `Firmware/CAPI/tinynn.h`.
///
/// Rules it owns:
/// - the ABI name `tinynn_run_abi_<float>_<enum>` (float: hard, softfp, soft or
///   the RISC-V `-mabi`; enum: enum1 for `-fshort-enums`, enum4 otherwise),
///   which `tinynn.h` computes from the project's compiler: a project of another
///   float ABI or enum size fails to link;
/// - every global the helpers define is renamed `tinynn_<name>` (in the Swift
///   objects' calls too), so a C library's `fmaf` cannot replace the one the
///   host's bits depend on;
/// - only `memcpy`, `memset`, `memmove` and `__aeabi_mem*` may be left undefined;
/// - on Arm, the objects' build attributes say the library's float ABI and enum size.
public struct FirmwareLibrary: Sendable {
    /// Arm boards with an FPU: floats in s-registers (hard) or core registers (softfp).
    public enum FloatABI: String, Sendable { case hard, softfp }
    /// Arm: the project's enum size, short (`-fshort-enums`, gcc's arm-none-eabi default) or int.
    public enum EnumSize: String, Sendable { case short, int }

    public var firmware: FirmwareBuild
    public var floatABI: FloatABI
    public var enums: EnumSize
    public var progress: @Sendable (String) -> Void = { _ in }

    public var board: Board { firmware.board }
    public var isRISCV: Bool { (board.settings["SWIFT_TARGET"] ?? "").hasPrefix("riscv") }
    /// The prefix of the GNU binutils that take the library apart and check it.
    public var gnu: String { isRISCV ? "riscv64-unknown-elf" : "arm-none-eabi" }

    public init(root: String, board name: String, floatABI: FloatABI = .hard, enums: EnumSize = .short) throws(FirmwareError) {
        let boards = Board.all(firmware: root + "/Firmware").filter { !$0.hasPrefix("host") }
        let known = " (one of: \(boards.joined(separator: " ")))"
        guard !name.contains("/"), Board.all(firmware: root + "/Firmware").contains(name) else {
            throw FirmwareError("unknown board '\(name)'\(known)", usage: true)
        }
        firmware = try FirmwareBuild(root: root, board: name, app: "hello")
        guard firmware.board.kind == .qemu else { throw FirmwareError("'\(name)' is not a board\(known)", usage: true) }
        self.floatABI = floatABI
        self.enums = enums
        if floatABI == .softfp, !firmware.board.words("CLANG_FLAGS").contains("-mfloat-abi=hard") {
            throw FirmwareError("\(name) has no FPU: --float-abi softfp is for hard-float Arm boards", usage: true)
        }
    }

    // MARK: - Names and flags

    /// The board's clang flags with the library's float ABI and enum size.
    public var clangFlags: [String] {
        var flags = board.words("CLANG_FLAGS").map { floatABI == .softfp && $0 == "-mfloat-abi=hard" ? "-mfloat-abi=softfp" : $0 }
        if !isRISCV { flags.append(enums == .short ? "-fshort-enums" : "-fno-short-enums") }
        return flags
    }

    /// `tinynn_run_abi_<float>_<enum>`, the name `tinynn.h` calls.
    public var abiSymbol: String {
        let flags = clangFlags
        let float: String
        if isRISCV {
            float = flags.first { $0.hasPrefix("-mabi=") }.map { String($0.dropFirst(6)) } ?? "ilp32"
        } else {
            float = flags.contains("-mfloat-abi=hard") ? "hard" : flags.contains("-mfloat-abi=softfp") ? "softfp" : "soft"
        }
        return "tinynn_run_abi_\(float)_\(!isRISCV && enums == .short ? "enum1" : "enum4")"
    }

    /// `libtinynn-BOARD[-softfp][-enum4]`.
    public var name: String {
        "libtinynn-\(board.name)" + (floatABI == .softfp ? "-softfp" : "") + (!isRISCV && enums == .int ? "-enum4" : "")
    }

    public var swiftFlags: [String] { firmware.swiftFlags(clangFlags: clangFlags) }

    /// The C kernels the core may call (`@_extern(c, "tinynn_...")` under a
    /// board's capability conditions: dense_vfp.c, dense_mve.c,
    /// activation_mve.c, optimizer_mve.c, the int8 dense_, requantize_ and
    /// softmax_ kernels); each compiles to
    /// nothing where its CPU feature is missing, so the library holds them all.
    public static func kernelSources(support: String) -> [String] {
        FirmwareBuild.files(in: support, ending: ".c")
            .filter { name in ["dense_", "activation_", "optimizer_", "requantize_", "softmax_"].contains { name.hasPrefix($0) } }
            .map { "\(support)/\($0)" }
    }
    public var cFlags: [String] { firmware.cFlags(clangFlags: clangFlags) + ["-Werror"] }

    /// The C entry point under its ABI name, compiled with the library's flags.
    static let abiEntry = """
        #include "tinynn.h"
        int32_t TINYNN_RUN(int32_t layers, const int32_t *widths, const uint8_t *activations,
                           const float *const *weights, const float *const *biases,
                           const float *input_offset, const float *input_scale,
                           const float *x, float *y, float *scratch) {
            return tinynn_run(layers, widths, activations, weights, biases, input_offset, input_scale, x, y, scratch);
        }

        """

    /// The entry points the partial link keeps.
    public var entryPoints: [String] { ["tinynn_run", "tinynn_scale_input", "tinynn_int8_run", abiSymbol] }

    // MARK: - Checks of the tools' output

    /// `nm --defined-only -g` lines (`ADDRESS TYPE NAME`) as objcopy
    /// `--redefine-syms` lines: `NAME tinynn_NAME`.
    public static func renames(nm: String) -> String {
        nm.split(separator: "\n").compactMap { line -> String? in
            let w = line.split(separator: " ")
            return w.count == 3 ? "\(w[2]) tinynn_\(w[2])\n" : nil
        }.joined()
    }

    /// The undefined symbols of `nm -u` output that a C library would have to
    /// provide beyond memcpy, memset, memmove and the `__aeabi_mem*` helpers.
    public static func unexpectedUndefined(nm: String) -> [String] {
        let allowed: Set<String> = ["memcpy", "memset", "memmove"]
        let aeabi = ["cpy", "cpy4", "cpy8", "move", "move4", "move8", "set", "set4", "set8", "clr", "clr4", "clr8"]
        return nm.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { !allowed.contains($0) && !aeabi.map { "__aeabi_mem" + $0 }.contains($0) }
    }

    /// What is wrong with `readelf -A` of the library's object for its float
    /// ABI and enum size, or nil.
    public func attributeProblem(readelf text: String) -> String? {
        let enumWanted = enums == .short ? "small" : "int"
        guard text.contains("Tag_ABI_enum_size: \(enumWanted)") else {
            let line = text.split(separator: "\n").first { $0.contains("enum_size") }.map { $0.trimmingCharacters(in: .whitespaces) }
            return "the objects' enum size is not '\(enumWanted)': \(line ?? "no Tag_ABI_enum_size")"
        }
        let vfp = text.contains("Tag_ABI_VFP_args: VFP registers")
        if abiSymbol.contains("_hard_"), !vfp { return "the objects do not pass floats in VFP registers" }
        if !abiSymbol.contains("_hard_"), vfp { return "the objects pass floats in VFP registers" }
        return nil
    }

    // MARK: - Build

    public struct Result: Sendable {
        /// The archive and header copied into the output folder.
        public var library: String
        /// Code + read-only data, data, bss of the object inside (GNU size).
        public var text: Int, data: Int, bss: Int
        /// The flags a project compiles and links with.
        public var projectFlags: [String]
    }

    /// Builds the library unless `.build/lib/cache/NAME-KEY` holds it (KEY:
    /// every input file, the flags, the ABI name, swiftc's version, this
    /// tinynn), then copies it and `tinynn.h` into `output`.
    public func build(output: String) throws(FirmwareError) -> Result {
        let tools = try Toolchain.find()
        let root = firmware.root, fw = firmware.firmware
        var gnuTools: [String: String] = [:]
        for tool in ["ld", "objcopy", "nm", "readelf", "ar", "size"] {
            guard let path = Self.onPath("\(gnu)-\(tool)") else {
                throw FirmwareError("\(gnu)-\(tool) not found (Scripts/setup installs the gcc toolchains)")
            }
            gnuTools[tool] = path
        }
        let coreSources = FirmwareBuild.files(in: firmware.core, ending: ".swift", recursive: true).map { "\(firmware.core)/\($0)" }
        let cSources = ["\(fw)/Support/softfloat.c", "\(fw)/Support/builtins.c"]
            + Self.kernelSources(support: "\(fw)/Support")
        var key = ContentHash()
        key.add("\(swiftFlags) | \(cFlags) | \(abiSymbol) | \(tools.version)")
        key.add((try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/exe"))).map { [UInt8]($0) } ?? [])
        for path in coreSources + ["\(fw)/CAPI/CAPI.swift", "\(fw)/CAPI/tinynn.h"] + cSources + ["\(board.directory)/board.env"] {
            key.add(String(path.dropFirst(root.count)))
            key.add((try? FileIO.contents(of: path)) ?? [])
        }
        let cacheRoot = "\(root)/.build/lib/cache", cache = "\(cacheRoot)/\(name)-\(key.hex)"
        let fm = FileManager.default
        if !fm.fileExists(atPath: "\(cache)/\(name).a") {
            try buildInto(cache, tools: tools, gnuTools: gnuTools, cSources: cSources)
        }
        do { try fm.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
            throw FirmwareError("cannot create '\(output)'")
        }
        for file in ["\(name).a", "tinynn.h"] {
            let tmp = "\(output)/.\(file).tmp.\(getpid())"
            try? fm.removeItem(atPath: tmp)
            guard (try? fm.copyItem(atPath: "\(cache)/\(file)", toPath: tmp)) != nil, rename(tmp, "\(output)/\(file)") == 0 else {
                throw FirmwareError("cannot write \(output)/\(file)")
            }
        }
        let w = Self.sizes(gnuSize: Shell.run(gnuTools["size"]!, ["\(cache)/tinynn.o"]).stdout)
        return Result(library: "\(output)/\(name).a", text: w.text, data: w.data, bss: w.bss, projectFlags: clangFlags)
    }

    func buildInto(_ cache: String, tools: Toolchain, gnuTools: [String: String], cSources: [String]) throws(FirmwareError) {
        let fm = FileManager.default, fw = firmware.firmware
        let tmp = "\(cache).tmp.\(getpid())"
        try? fm.removeItem(atPath: tmp)
        do { try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true) } catch {
            throw FirmwareError("\(tmp): cannot create it")
        }
        defer { try? fm.removeItem(atPath: tmp) }
        func run(_ tool: String, _ args: [String], _ failure: String) throws(FirmwareError) -> String {
            let r = Shell.run(tool, args, errorsTo: .standardError)
            guard r.status == 0 else { throw FirmwareError(failure) }
            return r.stdout
        }
        progress("\(name): core and C API, Embedded Swift")
        let core = try firmware.compiledCore(flags: swiftFlags, tools: tools)
        _ = try run(tools.swiftc, swiftFlags + ["-module-name", "TinyNNCAPI", "-I", "\(core)/modules", "\(fw)/CAPI/CAPI.swift",
                                                "-c", "-o", "\(tmp)/CAPI.o"], "compiling Firmware/CAPI/CAPI.swift failed")
        try? fm.copyItem(atPath: "\(core)/TinyNN.o", toPath: "\(tmp)/TinyNN.o")  // renamed in place below
        var objects = ["\(tmp)/TinyNN.o", "\(tmp)/CAPI.o"]
        for source in cSources {
            let object = "\(tmp)/\(URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent).o"
            _ = try run(tools.clang, cFlags + ["-c", source, "-o", object], "compiling \(source) failed")
            objects.append(object)
        }
        do { try FileIO.writeAtomically(Self.abiEntry, to: "\(tmp)/abi.c") } catch { throw FirmwareError(error.description) }
        _ = try run(tools.clang, cFlags + ["-I", "\(fw)/CAPI", "-c", "\(tmp)/abi.c", "-o", "\(tmp)/abi.o"], "compiling the ABI entry failed")
        objects.append("\(tmp)/abi.o")
        guard try run(gnuTools["nm"]!, ["\(tmp)/abi.o"], "nm failed").contains(" T \(abiSymbol)\n") else {
            throw FirmwareError("the ABI entry is not \(abiSymbol): tinynn.h and FirmwareLibrary disagree on the ABI's name")
        }
        let defined = try run(gnuTools["nm"]!, ["--defined-only", "-g", "\(tmp)/softfloat.o", "\(tmp)/builtins.o"], "nm failed")
        do { try FileIO.writeAtomically(Self.renames(nm: defined), to: "\(tmp)/renames") } catch { throw FirmwareError(error.description) }
        for object in objects {
            _ = try run(gnuTools["objcopy"]!, ["--redefine-syms=\(tmp)/renames", object], "objcopy \(object) failed")
        }
        progress("\(name): one object from the entry points (ld -r --gc-sections)")
        _ = try run(gnuTools["ld"]!, (isRISCV ? ["-m", "elf32lriscv"] : []) + ["-r", "--gc-sections"]
                    + entryPoints.flatMap { ["-u", $0] } + objects + ["-o", "\(tmp)/tinynn.o"], "the partial link failed")
        let unexpected = Self.unexpectedUndefined(nm: try run(gnuTools["nm"]!, ["-u", "\(tmp)/tinynn.o"], "nm failed"))
        guard unexpected.isEmpty else {
            throw FirmwareError("the library would need \(unexpected.joined(separator: " ")) from the C library:"
                                + " only memcpy, memset, memmove and __aeabi_mem* may be left")
        }
        if !isRISCV, let problem = attributeProblem(readelf: try run(gnuTools["readelf"]!, ["-A", "\(tmp)/tinynn.o"], "readelf failed")) {
            throw FirmwareError(problem)
        }
        _ = try run(gnuTools["ar"]!, ["rcs", "\(tmp)/\(name).a", "\(tmp)/tinynn.o"], "ar failed")
        guard (try? fm.copyItem(atPath: "\(fw)/CAPI/tinynn.h", toPath: "\(tmp)/tinynn.h")) != nil else {
            throw FirmwareError("\(tmp)/tinynn.h: cannot write it")
        }
        for object in objects { try? fm.removeItem(atPath: object) }
        // Fails if another build put the same bytes there first: kept.
        guard rename(tmp, cache) == 0 || fm.fileExists(atPath: "\(cache)/\(name).a") else {
            throw FirmwareError("\(cache): cannot write it")
        }
    }

    /// GNU size's `text data bss dec hex filename` table, its first row.
    public static func sizes(gnuSize text: String) -> (text: Int, data: Int, bss: Int) {
        let rows = text.split(separator: "\n")
        let w = rows.count > 1 ? rows[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) } : []
        return w.count >= 3 ? (w[0], w[1], w[2]) : (0, 0, 0)
    }

    static func onPath(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first(where: FileManager.default.isExecutableFile)
    }
}
