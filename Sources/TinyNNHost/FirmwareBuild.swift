import Foundation
import TinyNN

/// What went wrong building or running a firmware: one line, and whether the
/// command line was at fault (exit 2) or the build (exit 1).
public struct FirmwareError: Error, CustomStringConvertible {
    public var description: String
    public var isUsage: Bool
    public init(_ description: String, usage: Bool = false) { self.description = description; isUsage = usage }
}

/// Builds a firmware app (`Firmware/Apps/APP`) with the core for a board, the
/// way swift-embedded-examples' Makefiles do it by hand: the core
/// (`Sources/TinyNN`) as Embedded Swift module `TinyNN`, the app with
/// `Support/Console.swift` (and its generated sources) as a second module,
/// the C support, the board's startup code and the app's C files with clang,
/// linked by `ld.lld --gc-sections` with the board's `link.ld`. The host
/// builds compile the same sources as a native program.
///
/// Caching is by content: every input file's bytes (core, support, board,
/// app, generated sources with the model and vectors) and the flags go into a
/// key; a build whose key is the stamp of the last one is not redone.
public struct FirmwareBuild: Sendable {
    public var root: String
    public var board: Board
    public var app: String
    /// `--model`: a `.tnn` file (apps inference and bench), or any file an
    /// app's own `generate` takes as `APP_MODEL`.
    public var model: String?
    /// `--vectors`: a header from `tinynn vectors`.
    public var vectors: String?
    /// `--shape`: build for this shape instead of the model's.
    public var shape: String?
    public var core: String
    public var optimization = "-Osize"
    public var force = false
    /// One line per step (to standard error in the CLI).
    public var progress: @Sendable (String) -> Void = { _ in }

    public var firmware: String { root + "/Firmware" }
    public var appDirectory: String { "\(firmware)/Apps/\(app)" }

    /// The apps: folders of `Firmware/Apps` with Swift sources.
    public static func apps(firmware: String) -> [String] {
        let dir = firmware + "/Apps"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !Self.files(in: "\(dir)/\($0)", ending: ".swift").isEmpty }.sorted()
    }

    public init(root: String, board name: String, app: String) throws(FirmwareError) {
        let boards = Board.all(firmware: root + "/Firmware")
        guard !name.contains("/"), boards.contains(name) else {
            throw FirmwareError("unknown board '\(name)' (known boards: \(boards.joined(separator: " ")))", usage: true)
        }
        let apps = Self.apps(firmware: root + "/Firmware")
        guard !app.contains("/"), apps.contains(app) else {
            throw FirmwareError("unknown app '\(app)' (known apps: \(apps.joined(separator: " ")))", usage: true)
        }
        do { board = try Board(directory: "\(root)/Firmware/Boards/\(name)") } catch {
            throw FirmwareError(error.description)
        }
        self.root = root
        self.app = app
        core = root + "/Sources/TinyNN"
    }

    /// The result: the ELF, and its sizes on the QEMU boards.
    public struct Result: Sendable {
        public var elf: String
        public var sizes: ELFSizes?
        public var built: Bool
    }

    // MARK: - Generated sources

    /// The app's generated sources: the inference sources of the model (apps
    /// inference and bench), the train runs (train and bench), or what the
    /// app's own executable `generate` writes into a directory.
    public func generatedSources() throws(FirmwareError) -> [(name: String, text: String)] {
        var files: [(name: String, text: String)] = []
        let modelApps = ["inference", "bench"], trainApps = ["train", "bench"]
        if modelApps.contains(app) {
            guard let model else {
                throw FirmwareError("\(app): needs a model: --model FILE.tnn (and --vectors FILE.h from tinynn vectors)")
            }
            guard let vectors else {
                throw FirmwareError("\(app): needs test vectors: --vectors FILE.h (from tinynn vectors)")
            }
            let loaded: Model
            do { loaded = try ModelFile.load(model) } catch { throw FirmwareError("\(error)") }
            do {
                let text = String(decoding: try FileIO.contents(of: vectors), as: UTF8.self)
                let net = loaded.network
                let own = InferenceSources.Shape(widths: net.widths, activations: net.activations)
                let pinned = try shape.map { s throws(NetworkError) in try InferenceSources.Shape(parsing: s, model: own) }
                files += try InferenceSources(model: loaded, source: URL(fileURLWithPath: model).lastPathComponent,
                                              shape: pinned, vectorsHeader: text, app: app).files
            } catch let e as NetworkError { throw FirmwareError("\(app): \(e)") } catch { throw FirmwareError("\(error)") }
        }
        if app == "inference-int8" {
            guard let model, let vectors else {
                throw FirmwareError("\(app): needs an int8 model header and its vectors: --model FILE.h (tinynn export of a"
                    + " quantized model) --vectors FILE.h (tinynn vectors --model for that model)")
            }
            let text: (String) throws(FirmwareError) -> String = { path throws(FirmwareError) in
                do { return String(decoding: try FileIO.contents(of: path), as: UTF8.self) }
                catch { throw FirmwareError("\(error)") }
            }
            files += try Int8GlueSources(modelPath: Self.absolute(model), modelHeader: try text(model),
                                         vectorsPath: Self.absolute(vectors), vectorsHeader: try text(vectors)).files
        }
        if trainApps.contains(app) {
            do { files += try TrainRuns(directory: "\(firmware)/Apps/train").sources() }
            catch let e as CSVError { throw FirmwareError("train: \(e)") } catch { throw FirmwareError("train: \(error)") }
        }
        if app == "bench" {
            for shared in ["inference/ModelHeader.swift", "train/Training.swift"] {
                let path = "\(firmware)/Apps/\(shared)"
                do { files.append((URL(fileURLWithPath: path).lastPathComponent, String(decoding: try FileIO.contents(of: path), as: UTF8.self))) }
                catch { throw FirmwareError(error.description) }
            }
        }
        if files.isEmpty, FileManager.default.isExecutableFile(atPath: appDirectory + "/generate") {
            files = try runGenerator()
        } else if files.isEmpty, model != nil || vectors != nil || shape != nil {
            throw FirmwareError("app '\(app)' takes no --model, --vectors or --shape", usage: true)
        }
        return files
    }

    /// An app's own `generate DIR`, with `APP_MODEL`, `APP_VECTORS` and
    /// `APP_SHAPE` in its environment.
    func runGenerator() throws(FirmwareError) -> [(name: String, text: String)] {
        let dir = NSTemporaryDirectory() + "tinynn-generate-\(getpid())-\(board.name)-\(app)"  // boards build in parallel
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw FirmwareError("\(dir): cannot create it")
        }
        var env = ProcessInfo.processInfo.environment
        env["APP_MODEL"] = model.map(Self.absolute) ?? ""
        env["APP_VECTORS"] = vectors.map(Self.absolute) ?? ""
        env["APP_SHAPE"] = shape ?? ""
        guard Shell.run(appDirectory + "/generate", [dir], environment: env).status == 0 else {
            throw FirmwareError("generating the sources of app '\(app)' failed")
        }
        var files: [(name: String, text: String)] = []
        for name in Self.files(in: dir, ending: ".swift") + Self.files(in: dir, ending: ".c") + Self.files(in: dir, ending: ".h") {
            files.append((name, (try? String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8)) ?? ""))
        }
        return files
    }

    // MARK: - Build

    /// The swiftc flags for the board (both modules); `clangFlags` instead of
    /// the board's `CLANG_FLAGS` (``FirmwareLibrary``'s float ABI and enum size).
    public func swiftFlags(clangFlags: [String]? = nil) -> [String] {
        let common = ["-enable-experimental-feature", "Extern", "-wmo", "-parse-as-library"]
        let clang = (clangFlags ?? board.words("CLANG_FLAGS")).flatMap { ["-Xcc", $0] }
        switch board.kind {
        case .host:
            // Swift 6.3's -target-cpu rejects x86-64-v3; the clang importer's -march sets the same features.
            return ["-O"] + common + ["-Xcc", "-march=x86-64-v3"]
        case .hostEmbedded:
            return ["-target", board.settings["SWIFT_TARGET"] ?? "", "-enable-experimental-feature", "Embedded",
                    "-no-allocations"] + common + [optimization, "-Xfrontend", "-function-sections"] + clang
                // Its kernel capability (TINYNN_SIMD8), as a board names its own.
                + board.words("SWIFT_DEFINES").flatMap { ["-D", $0] }
        case .qemu:
            var f = ["-target", board.settings["SWIFT_TARGET"] ?? "", "-enable-experimental-feature", "Embedded",
                     "-no-allocations"] + common
                + [optimization, "-Xfrontend", "-disable-stack-protector", "-Xfrontend", "-function-sections"]
            if let cpu = board.setting("TARGET_CPU") { f += ["-target-cpu", cpu] }
            f += clang
            // Compilation conditions of the board (e.g. TINYNN_VFP_DENSE), for the core and the app.
            f += board.words("SWIFT_DEFINES").flatMap { ["-D", $0] }
            // No errno: squareRoot() is the FPU's square root alone, not one guarded by a call to sqrtf.
            f += ["-Xcc", "-fno-math-errno"]
            // No machine outliner (on at -Osize): it turns the activation loops' repeated tails into
            // calls, 4 instructions per element more, for no smaller firmware.
            f += ["-Xllvm", "-enable-machine-outliner=never"]
            return f
        }
    }

    /// clang's flags for the C files of a QEMU board.
    public func cFlags(clangFlags: [String]? = nil) -> [String] {
        ["--target=\(board.settings["CLANG_TARGET"] ?? "")"] + (clangFlags ?? board.words("CLANG_FLAGS"))
            + ["-std=gnu11", "-Os", "-ffreestanding", "-fno-strict-aliasing", "-fno-common", "-ffunction-sections",
               "-fdata-sections", "-Wall", "-Wextra"]
    }

    /// The output folder: `.build/firmware/BOARD/APP`, or `APP-HASH` for a
    /// build with a model, vectors or shape (HASH of their contents), so that
    /// each combination is built once and kept.
    public func outputDirectory() -> String {
        var variant = ""
        if model != nil || vectors != nil || shape != nil {
            var h = ContentHash()
            h.add("shape \(shape ?? "")")
            for input in [model, vectors] { h.add(input.flatMap { try? FileIO.contents(of: $0) } ?? Array("none".utf8)) }
            variant = "-" + h.hex.prefix(12)
        }
        return "\(root)/.build/firmware/\(board.name)/\(app)\(variant)"
    }

    /// Builds unless the content key is the last build's; the ELF is replaced by rename.
    public func build() throws(FirmwareError) -> Result {
        let tools = try Toolchain.find()
        let generated = try generatedSources()
        let coreSources = Self.files(in: core, ending: ".swift", recursive: true).map { "\(core)/\($0)" }
        let appSwift = Self.files(in: appDirectory, ending: ".swift").map { "\(appDirectory)/\($0)" } + ["\(firmware)/Support/Console.swift"]
        let appC = Self.files(in: appDirectory, ending: ".c").map { "\(appDirectory)/\($0)" }
        let boardC = Self.files(in: board.directory, ending: ".c").map { "\(board.directory)/\($0)" }
        let supportC = board.kind == .qemu ? Self.files(in: firmware + "/Support", ending: ".c").map { "\(firmware)/Support/\($0)" } : []

        var key = ContentHash()
        key.add("\(board.kind) \(optimization) \(tools.version) \(swiftFlags()) \(cFlags())")
        let headers = Self.files(in: firmware + "/Support", ending: ".h").map { "\(firmware)/Support/\($0)" }
            + Self.files(in: appDirectory, ending: ".h").map { "\(appDirectory)/\($0)" }
            + Self.files(in: board.directory, ending: "").map { "\(board.directory)/\($0)" }.filter { !$0.hasSuffix(".c") }
            + ["\(firmware)/Support/sections.ld"]
        for path in coreSources + appSwift + appC + boardC + supportC + headers {
            key.add(path)
            key.add((try? FileIO.contents(of: path)) ?? [])
        }
        for f in generated { key.add(f.name); key.add(f.text) }
        let out = outputDirectory(), elf = "\(out)/\(app).elf", stamp = key.hex
        if !force, (try? String(contentsOfFile: "\(out)/stamp", encoding: .utf8)) == stamp,
           FileManager.default.fileExists(atPath: elf) {
            return Result(elf: elf, sizes: try sizes(elf, tools), built: false)
        }

        let fm = FileManager.default
        let tmp = "\(out)/.tmp.\(Self.uniqueSuffix())"
        let obj = "\(tmp)/obj", gen = "\(obj)/generated"
        try? fm.removeItem(atPath: tmp)
        do { try fm.createDirectory(atPath: obj + "/modules", withIntermediateDirectories: true)
             try fm.createDirectory(atPath: gen, withIntermediateDirectories: true) } catch {
            throw FirmwareError("\(tmp): cannot create it")
        }
        defer { try? fm.removeItem(atPath: tmp) }
        for f in generated {
            do { try FileIO.writeAtomically(f.text, to: "\(gen)/\(f.name)") } catch { throw FirmwareError(error.description) }
        }
        let genSwift = generated.filter { $0.name.hasSuffix(".swift") }.map { "\(gen)/\($0.name)" }
        let genC = generated.filter { $0.name.hasSuffix(".c") }.map { "\(gen)/\($0.name)" }

        func step(_ what: String, _ tool: String, _ args: [String], failure: String) throws(FirmwareError) {
            if !what.isEmpty { progress("\(board.name): \(what)") }
            guard Shell.run(tool, args, errorsTo: .standardError).status == 0 else { throw FirmwareError(failure) }
        }
        let flags = swiftFlags()
        let coreDir = try compiledCore(flags: flags, tools: tools)
        try step("app \(app)", tools.swiftc, flags + ["-module-name", "FirmwareApp", "-I", "\(coreDir)/modules"]
                 + appSwift + genSwift + ["-c", "-o", "\(obj)/App.o"], failure: "compiling the app '\(app)' failed")
        var objects = ["\(coreDir)/TinyNN.o", "\(obj)/App.o"]
        let includes = ["-I\(firmware)/Support", "-I\(appDirectory)", "-I\(gen)"]
        progress("\(board.name): C support\(board.kind == .qemu ? "" : " and link")")
        for source in supportC + boardC + appC + genC {
            let url = URL(fileURLWithPath: source)
            let object = "\(obj)/\(url.deletingLastPathComponent().lastPathComponent)-\(url.deletingPathExtension().lastPathComponent).o"
            if board.kind == .qemu {
                try step("", tools.clang, cFlags() + includes + ["-c", source, "-o", object], failure: "compiling \(source) failed")
            } else {
                let cc = ProcessInfo.processInfo.environment["CC"] ?? "cc"
                try step("", "/usr/bin/env", [cc, "-std=gnu11", "-O2", "-Wall", "-Wextra"] + board.words("CLANG_FLAGS")
                         + includes + ["-c", source, "-o", object], failure: "compiling \(source) failed")
            }
            objects.append(object)
        }
        switch board.kind {
        case .host:
            try step("", tools.swiftc, objects + ["-lm", "-o", "\(tmp)/\(app).elf"], failure: "linking failed")
        case .hostEmbedded:
            // No Swift runtime library: an Embedded Swift object is self-contained.
            let cc = ProcessInfo.processInfo.environment["CC"] ?? "cc"
            try step("", "/usr/bin/env", [cc] + objects + ["-lm", "-o", "\(tmp)/\(app).elf"], failure: "linking failed")
        case .qemu:
            try step("link", tools.lld, ["-T", "\(board.directory)/link.ld", "-L", "\(firmware)/Support", "--gc-sections",
                                         "-Map", "\(tmp)/\(app).map"] + objects + ["-o", "\(tmp)/\(app).elf"],
                     failure: "linking failed (an undefined symbol above names a missing runtime helper)")
            // Only the four sections sections.ld plans for may take up memory.
            let stray = try ELFSizes.sections(of: "\(tmp)/\(app).elf", tools).filter { $0.loaded && !ELFSizes.planned.contains($0.name) }
            guard stray.isEmpty else {
                throw FirmwareError("unplanned loaded section(s) \(stray.map(\.name).joined(separator: " ")) in the ELF:"
                                    + " place them in Firmware/Support/sections.ld")
            }
        }
        // The ELF last, by rename: a reader sees the old one or the new one.
        try? fm.removeItem(atPath: "\(out)/obj")
        try? fm.moveItem(atPath: obj, toPath: "\(out)/obj")
        if fm.fileExists(atPath: "\(tmp)/\(app).map") {
            _ = rename("\(tmp)/\(app).map", "\(out)/\(app).map")
        }
        try? FileIO.writeAtomically(stamp, to: "\(out)/stamp")
        guard rename("\(tmp)/\(app).elf", elf) == 0 else { throw FirmwareError("\(elf): cannot write it") }
        return Result(elf: elf, sizes: try sizes(elf, tools), built: true)
    }

    /// The core (`core`, module TinyNN) compiled with `flags`: the folder with
    /// `TinyNN.o` and `modules/TinyNN.swiftmodule`. It depends on the flags and
    /// the core's sources only: compiled once per board and content, then shared
    /// by every app and model (verify builds six firmware per board) and the
    /// C library; a new folder is renamed into place whole.
    public func compiledCore(flags: [String], tools: Toolchain) throws(FirmwareError) -> String {
        let fm = FileManager.default
        let coreSources = Self.files(in: core, ending: ".swift", recursive: true).map { "\(core)/\($0)" }
        let coreDir = coreCacheDirectory(Self.coreKey(toolchain: tools.version, flags: flags, files: coreSources))
        if fm.fileExists(atPath: "\(coreDir)/TinyNN.o"), !force {
            progress("\(board.name): TinyNN (\(coreSources.count) files) cached")
            return coreDir
        }
        let coreTmp = "\(coreDir).tmp.\(Self.uniqueSuffix())"
        try? fm.removeItem(atPath: coreTmp)
        do { try fm.createDirectory(atPath: coreTmp + "/modules", withIntermediateDirectories: true) } catch {
            throw FirmwareError("\(coreTmp): cannot create it")
        }
        defer { try? fm.removeItem(atPath: coreTmp) }
        var coreFiles = coreSources
        if coreFiles.isEmpty { coreFiles = ["\(coreTmp)/EmptyCore.swift"]; try? FileIO.writeAtomically("", to: coreFiles[0]) }
        progress("\(board.name): TinyNN (\(coreSources.count) files)")
        let args = flags + ["-module-name", "TinyNN", "-emit-module", "-emit-module-path", "\(coreTmp)/modules/TinyNN.swiftmodule"]
            + coreFiles + ["-c", "-o", "\(coreTmp)/TinyNN.o"]
        guard Shell.run(tools.swiftc, args, errorsTo: .standardError).status == 0 else {
            throw FirmwareError("compiling the core (\(core)) failed")
        }
        _ = rename(coreTmp, coreDir)  // fails if another build put the same bytes there first: kept
        guard fm.fileExists(atPath: "\(coreDir)/TinyNN.o") else { throw FirmwareError("\(coreDir): cannot write it") }
        return coreDir
    }

    /// The core's cache key: the toolchain, the swiftc flags (the board's),
    /// and every core source's path and bytes; nothing of the app or model.
    public static func coreKey(toolchain: String, flags: [String], files: [String]) -> ContentHash {
        var key = ContentHash()
        key.add("\(toolchain) \(flags)")
        for path in files { key.add(path); key.add((try? FileIO.contents(of: path)) ?? []) }
        return key
    }

    /// A temporary folder's suffix no other build has, in this process (boards
    /// build on several threads) or another: the process id and a counter.
    static func uniqueSuffix() -> String {
        buildCounter.lock.lock(); defer { buildCounter.lock.unlock() }
        buildCounter.next += 1
        return "\(getpid()).\(buildCounter.next)"
    }
    private final class Counter: @unchecked Sendable { let lock = NSLock(); var next = 0 }
    private static let buildCounter = Counter()

    /// Where the core compiled for this board with `key` (flags, toolchain, sources) is kept:
    /// `.build/firmware/BOARD/core-KEY` (TinyNN.o, modules/TinyNN.swiftmodule).
    public func coreCacheDirectory(_ key: ContentHash) -> String {
        "\(root)/.build/firmware/\(board.name)/core-\(key.hex)"
    }

    func sizes(_ elf: String, _ tools: Toolchain) throws(FirmwareError) -> ELFSizes? {
        guard board.kind == .qemu else { return nil }
        return try ELFSizes(elf: elf, memory: board.memory(), tools)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The names of the files in `dir` ending with `suffix`, sorted (bytewise).
    static func files(in dir: String, ending suffix: String, recursive: Bool = false) -> [String] {
        let fm = FileManager.default
        let names = (recursive ? fm.subpaths(atPath: dir) : try? fm.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return name.hasSuffix(suffix) && fm.fileExists(atPath: "\(dir)/\(name)", isDirectory: &isDir) && !isDir.boolValue
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// swiftc and the LLVM tools next to it (the Swift toolchain's clang, ld.lld, llvm-objdump, llvm-nm).
public struct Toolchain: Sendable {
    public var swiftc: String, clang: String, lld: String, objdump: String, nm: String
    /// `swiftc --version`'s first line, part of every build's key.
    public var version: String

    public static func find() throws(FirmwareError) -> Toolchain {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard let found = path.split(separator: ":").map({ "\($0)/swiftc" }).first(where: FileManager.default.isExecutableFile) else {
            throw FirmwareError("swiftc not found on PATH (the Swift toolchain, e.g. /opt/swift/usr/bin)")
        }
        let real = URL(fileURLWithPath: found).resolvingSymlinksInPath()
        let dir = real.deletingLastPathComponent().path
        for tool in ["clang", "ld.lld", "llvm-objdump", "llvm-nm"] where !FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            throw FirmwareError("\(tool) not found next to swiftc in \(dir)")
        }
        // swiftc itself by its own name: the driver reads its mode from it.
        let version = Shell.run(found, ["--version"]).stdout.split(separator: "\n").first.map(String.init) ?? ""
        return Toolchain(swiftc: found, clang: "\(dir)/clang", lld: "\(dir)/ld.lld", objdump: "\(dir)/llvm-objdump",
                         nm: "\(dir)/llvm-nm", version: version)
    }
}

/// FNV-1a, 64 bits, over the bytes of a build's inputs: a cache key, not a
/// defence against anyone.
public struct ContentHash {
    public init() {}
    var state: UInt64 = 0xcbf2_9ce4_8422_2325
    public mutating func add(_ bytes: [UInt8]) {
        for b in bytes { state = (state ^ UInt64(b)) &* 0x100_0000_01b3 }
        for b in withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init) { state = (state ^ UInt64(b)) &* 0x100_0000_01b3 }
    }
    public mutating func add(_ text: String) { add(Array(text.utf8)) }
    public var hex: String { let s = String(state, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
}
