import Foundation
import TinyNNHost

/// `tinynn firmware build|run BOARD [APP]`: the firmware build
/// (``FirmwareBuild``) and QEMU run (``FirmwareRun``) that `Scripts/build-firmware`,
/// `Scripts/run-firmware` and `tinynn verify` use.
enum FirmwareCommand {
    static let command = Command(
        name: "firmware",
        summary: "build a firmware app for a board (Firmware/Apps, Firmware/Boards), or build and run it under QEMU",
        synopsis: "firmware build|run BOARD [APP] [--model FILE.tnn --vectors FILE.h] [--shape SPEC] [--icount]"
            + " [--timeout S] [-O|-Osize] [--core DIR] [--force] [-q]"
            + " | firmware bench BOARD,...|all --model FILE.tnn --vectors FILE.h [--relu-model FILE.tnn] [--json FILE]",
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
            """,
        examples: [
            "tinynn firmware run mps2-an386 hello",
            "tinynn firmware run riscv32 inference --model m.tnn --vectors v.h",
            "tinynn firmware build microbit train",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let p = args.positionals
        guard let action = p.first, ["build", "run", "bench"].contains(action) else {
            throw args.usage("the first argument is build, run or bench")
        }
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
