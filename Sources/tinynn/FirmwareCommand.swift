import Foundation
import TinyNNHost

/// `tinynn firmware build|run BOARD [APP]`: the firmware build
/// (``FirmwareBuild``) and QEMU run (``FirmwareRun``) that `Scripts/build-firmware`,
/// `Scripts/run-firmware` and `tinynn verify` use; `firmware lib BOARD`, the C
/// library (``FirmwareLibrary``) of `Scripts/build-lib`.
enum FirmwareCommand {
    static let command = Command(
        name: "firmware",
        summary: "build a firmware app for a board (Firmware/Apps, Firmware/Boards), build and run it under QEMU, or build the C library",
        synopsis: "firmware build|run BOARD [APP] [--model FILE.tnn --vectors FILE.h] [--shape SPEC] [--icount]"
            + " [--timeout S] [-O|-Osize] [--core DIR] [--force] [-q]"
            + " | firmware bench BOARD,...|all --model FILE.tnn --vectors FILE.h [--relu-model FILE.tnn] [--json FILE]"
            + " | firmware lib BOARD [--float-abi hard|softfp] [--enums short|int] [--output DIR] [-q]",
        positionals: ["ACTION", "BOARD", "APP"],
        flags: [
            Flag("--model", "FILE", "the model (.tnn) of apps inference and bench; for another app's own generate, APP_MODEL"),
            Flag("--vectors", "FILE.h", "test vectors (tinynn vectors --header) of apps inference and bench"),
            Flag("--shape", "SPEC", "build for this shape instead of the model's, e.g. 64-32-10:sigmoid,softmax"
                 + " (the firmware's start-up check then refuses the model)"),
            Flag("--core", "DIR", "core sources to compile instead of Sources/TinyNN"),
            Flag("-O", nil, "Swift optimization -O (default -Osize)"),
            Flag("-Osize", nil, "Swift optimization -Osize (the default)"),
            Flag("--force", nil, "rebuild even when the content key is the last build's"),
            Flag("-q", nil, "print only the ELF path, no progress"),
            Flag("--icount", nil, "run: QEMU -icount shift=0 (1 instruction = 1 ns of virtual time, repeatable counts)"),
            Flag("--timeout", "S", "run: stop after S seconds (default 60), exit 124"),
            Flag("--relu-model", "FILE.tnn", "bench: also time this model (the same shape with a ReLU hidden layer)"),
            Flag("--int8-model", "FILE.h", "bench: also time this int8 header (tinynn export of a quantized model) on the"
                 + " inference-int8 app"),
            Flag("--int8-vectors", "FILE.h", "bench: the int8 test vectors for --int8-model (tinynn vectors --model)"),
            Flag("--json", "FILE", "bench: write the figures as JSON"),
            Flag("--float-abi", "hard|softfp", "lib: Arm boards with an FPU: floats in s-registers (hard, the default) or"
                 + " in core registers (softfp; the library's name gets -softfp)"),
            Flag("--enums", "short|int", "lib: Arm: the project's enum size, short (-fshort-enums, gcc's arm-none-eabi"
                 + " default) or int (-fno-short-enums; the name gets -enum4); only the objects' build attributes differ"),
            Flag("--output", "DIR", "lib: where to put the library and tinynn.h (default .build/lib)"),
        ],
        details: """
            build compiles Sources/TinyNN as the Embedded Swift module TinyNN, the app with
            Firmware/Support/Console.swift and its generated sources as a second module, the C
            support, the board's startup code and the app's C files, and links them with ld.lld
            --gc-sections and the board's link.ld; it prints the ELF path and, on QEMU boards, its
            sizes. Each step is one line on standard error. The build is skipped when the content
            key (every input file's bytes, the generated sources, the flags, swiftc's version) is the
            last build's. Output: .build/firmware/BOARD/APP/APP.elf, or APP-HASH/ with --model,
            --vectors or --shape (HASH of their contents).

            run builds, then runs the ELF (QEMU for the boards, natively for host and host-embedded)
            with the firmware's output on standard output, and exits with the firmware's code:
            0 pass, 1 failure, 3 fault (a 'FAULT: ...' line), 124 timeout; 1 when the build failed,
            2 for a bad command line or a missing QEMU.

            bench runs the bench app on each QEMU board under -icount shift=0 and prints instructions
            per inference, per multiply-accumulate (whole pass and dense kernels alone) and per
            training sample and step, and the flash and static RAM of the inference, train and
            bench firmware (Scripts/bench-firmware).

            lib builds libtinynn-BOARD.a for a gcc project (Firmware/Examples/c-project) and copies it
            with Firmware/CAPI/tinynn.h into DIR: one relocatable object (ld -r --gc-sections from the
            entry points) of the core and Firmware/CAPI/CAPI.swift (Embedded Swift with the board's
            firmware flags), the assembly kernels Support/dense_*.c the CPU has, and softfloat.c and
            builtins.c with every symbol they define renamed tinynn_<name> (a C library's fmaf cannot
            replace the one the host's bits depend on); its entry point is tinynn_run_abi_<float
            ABI>_<enum size>, the name tinynn.h calls, so a project of another ABI fails to link. It
            fails on any undefined symbol but memcpy, memset, memmove and __aeabi_mem*, and (Arm) on
            build attributes of another float ABI or enum size. Cached by content in
            .build/lib/cache/NAME-KEY. It prints the library's path, its sizes and the flags to compile
            and link the project with (only the path with -q).
            """,
        examples: [
            "tinynn firmware run mps2-an386 hello",
            "tinynn firmware run riscv32 inference --model m.tnn --vectors v.h",
            "tinynn firmware build microbit train",
            "tinynn firmware lib mps2-an386 --output lib",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let p = args.positionals
        guard let action = p.first, ["build", "run", "bench", "lib"].contains(action) else {
            throw args.usage("the first argument is build, run, bench or lib")
        }
        if action == "lib" { return try library(args) }
        if action == "bench", p.count == 2 { return try FirmwareBench.run(args, boards: p[1]) }
        guard p.count >= 2 else { throw args.usage("no board given (known boards: \(Board.all(firmware: try root() + "/Firmware").joined(separator: " ")))") }
        if action == "build", args.has("--icount") || args.has("--timeout") { throw args.usage("--icount and --timeout are for run") }
        let timeout = try args.int("--timeout", default: 60, range: 1...86_400)
        let quiet = args.has("-q")
        let build = try make(args, board: p[1], app: p.count > 2 ? p[2] : "hello", quiet: quiet)
        let result = try self.build(build)
        guard action == "run" else {
            print(result.elf)
            if !quiet { for l in result.sizes?.lines ?? [] { print(l) } }
            return
        }
        var run = FirmwareRun(board: build.board, elf: result.elf)
        run.icount = args.has("--icount")
        run.timeout = timeout
        if let missing = run.missingEmulator() { throw .usage(missing) }
        if run.icount, build.board.kind != .qemu { standardError("tinynn: note: --icount has no effect on the host build\n") }
        let status = run.run(stdout: FileHandle.standardOutput).status
        if status == 124 { standardError("tinynn: \(build.board.name)/\(build.app) timed out after \(timeout) s\n") }
        exit(status)
    }

    /// The build the flags describe; progress lines go to standard error unless `quiet`.
    static func make(_ args: Arguments, board: String, app: String, quiet: Bool = false) throws(Failure) -> FirmwareBuild {
        var b: FirmwareBuild
        let checkout = try root()
        do { b = try FirmwareBuild(root: checkout, board: board, app: app) } catch {
            throw error.isUsage ? .usage(error.description) : .data(error.description)
        }
        for (flag, path) in [("--model", args.string("--model")), ("--vectors", args.string("--vectors"))] {
            if let path, !FileManager.default.fileExists(atPath: path) { throw args.usage("\(flag): no such file '\(path)'") }
        }
        b.model = args.string("--model")
        b.vectors = args.string("--vectors")
        b.shape = args.string("--shape")
        if let core = args.string("--core") {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: core, isDirectory: &isDir), isDir.boolValue else {
                throw args.usage("--core: core directory '\(core)' does not exist")
            }
            b.core = core
        }
        if args.has("-O") { b.optimization = "-O" }
        b.force = args.has("--force")
        if !quiet { b.progress = { standardError("firmware: \($0)\n") } }
        return b
    }

    /// `firmware lib BOARD`: libtinynn-BOARD.a and tinynn.h (``FirmwareLibrary``).
    static func library(_ args: Arguments) throws(Failure) {
        let p = args.positionals, checkout = try root()
        let boards = Board.all(firmware: checkout + "/Firmware").filter { !$0.hasPrefix("host") }.joined(separator: " ")
        guard p.count >= 2 else { throw args.usage("no board given (one of: \(boards))") }
        guard p.count == 2 else { throw args.usage("lib takes a board and no app") }
        let floatABI = try args.choice("--float-abi", [("hard", FirmwareLibrary.FloatABI.hard), ("softfp", .softfp)]) ?? .hard
        let enums = try args.choice("--enums", [("short", FirmwareLibrary.EnumSize.short), ("int", .int)]) ?? .short
        let quiet = args.has("-q")
        var lib: FirmwareLibrary
        let result: FirmwareLibrary.Result
        do {
            lib = try FirmwareLibrary(root: checkout, board: p[1], floatABI: floatABI, enums: enums)
            if !quiet { lib.progress = { standardError("build-lib: \($0)\n") }; lib.firmware.progress = lib.progress }
            result = try lib.build(output: args.string("--output") ?? checkout + "/.build/lib")
        } catch { throw error.isUsage ? .usage(error.description) : .data(error.description) }
        print(result.library)
        if quiet { return }
        print("  \(lib.abiSymbol); code + read-only data \(result.text) bytes, data \(result.data), bss \(result.bss)")
        print("  compile and link with: \(result.projectFlags.joined(separator: " "))")
    }

    static func build(_ b: FirmwareBuild) throws(Failure) -> FirmwareBuild.Result {
        do { return try b.build() } catch { throw error.isUsage ? .usage(error.description) : .data(error.description) }
    }

    /// The checkout this tinynn was built in (it holds Firmware/Boards and
    /// Sources/TinyNN), or the current directory's.
    static func root() throws(Failure) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        for start in [URL(fileURLWithPath: me), URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/x")] {
            var dir = start.deletingLastPathComponent()
            while dir.path != "/" {
                if FileManager.default.fileExists(atPath: dir.path + "/Firmware/Boards"),
                   FileManager.default.fileExists(atPath: dir.path + "/Sources/TinyNN") { return dir.path }
                dir.deleteLastPathComponent()
            }
        }
        throw .data("no TinyNN checkout (Firmware/Boards, Sources/TinyNN) above \(me) or the current directory")
    }
}
