import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The firmware build as Swift: board files, the generated sources of the
/// inference and train apps (known answers, and that the generated Swift
/// type-checks against the core with the app's own sources), and the build's
/// flags and cache folders.
@Suite struct FirmwareBuildTests {
    static let firmware = "\(packageRoot)/Firmware"

    static func model(_ widths: [Int], _ activations: [Activation]) throws -> Model {
        let net = try Network(widths: widths, activations: activations, loss: activations.last == .softmax ? .crossEntropy : .quadratic)
        net.initialize(seed: 3)
        return Model(network: net)
    }

    // MARK: - Boards

    @Test func boardsComeFromTheFolders() throws {
        let all = Board.all(firmware: Self.firmware)
        #expect(Array(all.prefix(2)) == ["host", "host-embedded"])
        #expect(all.contains("mps2-an386") && all.contains("microbit") && all.contains("riscv32"))
        let m4 = try Board(directory: "\(Self.firmware)/Boards/mps2-an386")
        #expect(m4.kind == .qemu && m4.settings["SWIFT_TARGET"] == "armv7em-none-none-eabi")
        #expect(m4.words("QEMU_ARGS") == ["-M", "mps2-an386"])
        #expect(m4.memory()! == (4 << 20, 4 << 20))
        let microbit = try Board(directory: "\(Self.firmware)/Boards/microbit")
        #expect(microbit.memory()! == (256 << 10, 16 << 10))
        #expect(try Board(directory: "\(Self.firmware)/Boards/host").kind == .host)
        #expect(try Board(directory: "\(Self.firmware)/Boards/host").memory() == nil)
    }

    @Test func envFileLines() throws {
        let env = try EnvFile.parse("# comment\nA=1\n  B=\"two words\"  \n\nC=\n", file: "x.env")
        #expect(env == ["A": "1", "B": "two words", "C": ""])
        #expect(throws: FileError.self) { try EnvFile.parse("A=1\nnot a setting\n", file: "x.env") }
        do { _ = try EnvFile.parse("A=\"open\n", file: "x.env"); Issue.record("no error") } catch {
            #expect(error.description == "x.env: line 1: unterminated quote")
        }
    }

    @Test func linkerScriptLengths() {
        #expect(Board.memory(linkerScript: "FLASH (rx) : ORIGIN = 0x0, LENGTH = 0x4000\nRAM (rwx) : ORIGIN = 0x20000000, LENGTH = 8K\n")!
                == (0x4000, 8192))
        #expect(Board.memory(linkerScript: "RAM (rwx) : ORIGIN = 0, LENGTH = 8K\n") == nil)
    }

    @Test func objdumpSections() {
        let text = """
            Sections:
            Idx Name          Size     VMA      Type
              0               00000000 00000000
              1 .text         00000e30 00000000 TEXT
              2 .rodata       00000100 00000e30 DATA
              3 .bss          00000010 20000000 BSS
              4 .comment      00000040 00000000
            """
        let s = ELFSizes.parseSections(text)
        #expect(s.map(\.name) == [".text", ".rodata", ".bss"])  // the others have no type: not loaded
        #expect(s.first { $0.name == ".text" }!.size == 0xe30)
        #expect(s.filter(\.loaded).map(\.name) == [".text", ".rodata", ".bss"])
    }

    // MARK: - The build

    @Test func flagsFollowTheBoard() throws {
        let m4 = try FirmwareBuild(root: packageRoot, board: "mps2-an386", app: "hello")
        let f = m4.swiftFlags()
        #expect(f.starts(with: ["-target", "armv7em-none-none-eabi", "-enable-experimental-feature", "Embedded", "-no-allocations"]))
        #expect(f.contains("-Osize") && f.contains("TINYNN_VFP_DENSE") && f.contains("-mfpu=fpv4-sp-d16"))
        #expect(m4.cFlags().first == "--target=armv7em-none-eabi")
        let host = try FirmwareBuild(root: packageRoot, board: "host", app: "hello")
        #expect(!host.swiftFlags().contains("Embedded") && host.swiftFlags().contains("-march=x86-64-v3"))
        #expect(host.outputDirectory() == "\(packageRoot)/.build/firmware/host/hello")
    }

    @Test func unknownBoardOrApp() {
        do { _ = try FirmwareBuild(root: packageRoot, board: "nosuch", app: "hello"); Issue.record("no error") } catch {
            #expect(error.isUsage && error.description.hasPrefix("unknown board 'nosuch' (known boards: host host-embedded"))
        }
        do { _ = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "../hello"); Issue.record("no error") } catch {
            #expect(error.isUsage && error.description.hasPrefix("unknown app '../hello'"))
        }
    }

    @Test func inferenceNeedsAModelAndVectors() throws {
        var b = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "inference")
        do { _ = try b.generatedSources(); Issue.record("no error") } catch { #expect(error.description.contains("needs a model")) }
        b = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "hello")
        b.shape = "2-2"
        do { _ = try b.generatedSources(); Issue.record("no error") } catch {
            #expect(error.isUsage && error.description == "app 'hello' takes no --model, --vectors or --shape")
        }
    }

    /// Each model/vectors/shape combination has its own folder, named by content.
    @Test func variantFoldersByContent() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFile.save(try Self.model([4, 3, 2], [.sigmoid, .softmax]), to: "\(dir)/a.tnn")
        try ModelFile.save(try Self.model([4, 5, 2], [.sigmoid, .softmax]), to: "\(dir)/b.tnn")
        var b = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "inference")
        b.model = "\(dir)/a.tnn"
        let a = b.outputDirectory()
        b.model = "\(dir)/b.tnn"
        #expect(a != b.outputDirectory() && a.hasPrefix("\(packageRoot)/.build/firmware/riscv32/inference-"))
        b.model = "\(dir)/a.tnn"
        #expect(a == b.outputDirectory())
        b.shape = "4-3-2"
        #expect(a != b.outputDirectory())
    }

    /// The core's cache key follows its sources' bytes and the flags, nothing else.
    @Test func coreKeyFollowsTheCoreSources() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/Core.swift"
        try "public let marker = 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let k1 = FirmwareBuild.coreKey(toolchain: "swift 6", flags: ["-Osize"], files: [file]).hex
        #expect(k1.count == 16 && k1 == FirmwareBuild.coreKey(toolchain: "swift 6", flags: ["-Osize"], files: [file]).hex)
        try "public let marker = 2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let k2 = FirmwareBuild.coreKey(toolchain: "swift 6", flags: ["-Osize"], files: [file]).hex
        #expect(k2 != k1)
        #expect(FirmwareBuild.coreKey(toolchain: "swift 6", flags: ["-O"], files: [file]).hex != k2)
        #expect(FirmwareBuild.coreKey(toolchain: "swift 6.1", flags: ["-Osize"], files: [file]).hex != k2)
        try "public let marker = 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(FirmwareBuild.coreKey(toolchain: "swift 6", flags: ["-Osize"], files: [file]).hex == k1)
        let key = FirmwareBuild.coreKey(toolchain: "", flags: [], files: [file])
        let m4 = try FirmwareBuild(root: packageRoot, board: "mps2-an386", app: "hello")
        let rv = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "inference")
        #expect(m4.coreCacheDirectory(key) == "\(packageRoot)/.build/firmware/mps2-an386/core-\(key.hex)")
        #expect(rv.coreCacheDirectory(key) == "\(packageRoot)/.build/firmware/riscv32/core-\(key.hex)")
    }

    /// Real builds (the fault app, host-embedded, a one-file core, in a scratch
    /// checkout): the core is compiled once and reused by the next build; a
    /// changed core source compiles a new one; two builds at once of the same
    /// board share one core folder, leave no temporary behind, and both run.
    @Test func coreCompiledOncePerBoardAndContent() throws {
        guard findTool("swiftc") != nil, findTool("cc") != nil else { Issue.record("swiftc and cc on the PATH"); return }
        let root = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: "\(root)/Firmware", withDestinationPath: Self.firmware)
        try FileManager.default.createDirectory(atPath: "\(root)/core", withIntermediateDirectories: true)
        try "public let coreMarker: Int32 = 1\n".write(toFile: "\(root)/core/Core.swift", atomically: true, encoding: .utf8)
        final class Lines: @unchecked Sendable {
            let lock = NSLock(); var lines: [String] = []
            func add(_ l: String) { lock.lock(); lines.append(l); lock.unlock() }
            func take() -> [String] { lock.lock(); defer { lines = []; lock.unlock() }; return lines }
        }
        let log = Lines()
        var b = try FirmwareBuild(root: root, board: "host-embedded", app: "fault")
        b.core = "\(root)/core"
        b.progress = { log.add($0) }
        let boardDir = "\(root)/.build/firmware/host-embedded"
        func cores() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: boardDir)) ?? []).filter { $0.hasPrefix("core-") }.sorted() }

        let first = try b.build()
        #expect(first.built && log.take().contains("host-embedded: TinyNN (1 files)"))
        #expect(cores().count == 1)
        try FileManager.default.removeItem(atPath: "\(b.outputDirectory())/stamp")  // the app is rebuilt, not the core
        #expect(try b.build().built && log.take().contains("host-embedded: TinyNN (1 files) cached"))
        #expect(cores().count == 1)

        try "public let coreMarker: Int32 = 2\n".write(toFile: "\(root)/core/Core.swift", atomically: true, encoding: .utf8)
        let build = b
        final class Results: @unchecked Sendable { let lock = NSLock(); var elfs: [String] = []; var errors: [String] = [] }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do { let r = try build.build(); results.lock.lock(); results.elfs.append(r.elf); results.lock.unlock() } catch {
                results.lock.lock(); results.errors.append("\(error)"); results.lock.unlock()
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(cores().count == 2)
        let leftovers = ((try? FileManager.default.subpathsOfDirectory(atPath: boardDir)) ?? []).filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let run = try runProcess(try #require(results.elfs.first), [])
        #expect(run.status == 3 && run.stdout.contains("FAULT: "), "\(run.stdout) \(run.stderr)")
    }

    // MARK: - Inference sources

    @Test func inferenceSourcesKnownAnswer() throws {
        let m = try Self.model([64, 32, 10], [.sigmoid, .softmax])
        let files = try InferenceSources(model: m, source: "m.tnn").files
        #expect(files.map(\.name) == ["BuiltModel.swift", "model.h", "model_glue.c"])
        let swift = files[0].text, glue = files[2].text
        #expect(swift.contains("    typealias Layer1 = FlashDense<64, 32>\n    typealias Layer2 = FlashDense<32, 10>\n"))
        #expect(swift.contains("static var description: StaticString { \"64-32-10 (sigmoid, softmax)\" }"))
        #expect(swift.contains("        layer1.forward(x, activation: .sigmoid)\n        layer2.forward(UnsafePointer(layer1.a), activation: .softmax)\n"))
        #expect(swift.contains("    return layer1.withView { v1 in layer2.withView { v2 in\n        body(BuiltNetwork(layer1: v1, layer2: v2))\n    } }\n"))
        #expect(glue.contains("#if TINYNN_MODEL_LAYERS == 2 && TINYNN_MODEL_WIDTH_0 == 64 && TINYNN_MODEL_WIDTH_1 == 32"
                              + " && TINYNN_MODEL_WIDTH_2 == 10 && TINYNN_MODEL_ACTIVATION_1 == 1 && TINYNN_MODEL_ACTIVATION_2 == 5\n"))
        #expect(files[1].text == CHeader.render(m, name: "model", source: "m.tnn"))
    }

    @Test func pinnedShapeRefusesTheModel() throws {
        let m = try Self.model([64, 20, 10], [.tanh, .softmax])
        let own = InferenceSources.Shape(widths: [64, 20, 10], activations: [.tanh, .softmax])
        let other = try InferenceSources.Shape(parsing: "64-32-10", model: own)
        #expect(other == InferenceSources.Shape(widths: [64, 32, 10], activations: [.tanh, .softmax]))
        let glue = try InferenceSources(model: m, source: "m.tnn", shape: other).files[2].text
        #expect(glue.contains("\"inference: model header is 64-20-10 but this firmware was built for 64-32-10\\n\""))
        let acts = try InferenceSources.Shape(parsing: "64-20-10:sigmoid,softmax", model: own)
        let glue2 = try InferenceSources(model: m, source: "m.tnn", shape: acts).files[2].text
        #expect(glue2.contains("model header is 64-20-10 (tanh, softmax) but this firmware was built for 64-20-10 (sigmoid, softmax)"))
        for bad in ["64", "64-x-10", "64-32-10:sigmoid", "64-32-10:sigmoid,nosuch"] {
            #expect(throws: NetworkError.self) { try InferenceSources.Shape(parsing: bad, model: own) }
        }
        #expect(throws: NetworkError.self) {
            try InferenceSources(model: m, source: "m.tnn", shape: .init(widths: [64, 8, 8, 8, 10], activations: [.relu, .relu, .relu, .softmax]))
        }
    }

    @Test func vectorsOfAnotherWidthAreRefused() throws {
        let m = try Self.model([13, 8, 3], [.sigmoid, .softmax])
        let rows = try Dataset(features: [Float](repeating: 0.5, count: 26), labels: [0, 1], featureCount: 13, classCount: 3)
        let header = try TestVectors(rows, source: "w.csv").header()
        #expect(TestVectors.featureCount(inHeader: header) == 13)
        let files = try InferenceSources(model: m, source: "m.tnn", vectorsHeader: header).files
        #expect(files.map(\.name).suffix(2) == ["vectors.h", "vectors_glue.c"] && files[3].text == header)
        let wide = try Self.model([12, 8, 3], [.sigmoid, .softmax])
        do { _ = try InferenceSources(model: wide, source: "m.tnn", vectorsHeader: header); Issue.record("no error") } catch {
            #expect(error.description == "the test vectors have 13 features but the model takes 12")
        }
    }

    /// The generated Swift with the inference app's sources and the console
    /// type-checks against the core (the module swift test built), for one,
    /// two and three layers.
    @Test func generatedSwiftTypeChecks() throws {
        let swiftc = try #require(findTool("swiftc"), "swiftc on the PATH")
        let modules = URL(fileURLWithPath: tinynnPath).deletingLastPathComponent().appendingPathComponent("Modules").path
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (k, (w, a)) in [([5, 3], [Activation.identity]), ([64, 32, 10], [.sigmoid, .softmax]),
                            ([64, 13, 7, 10], [.relu, .leakyReLU, .softmax])].enumerated() {
            let files = try InferenceSources(model: try Self.model(w, a), source: "m.tnn").files
            let built = "\(dir)/BuiltModel\(k).swift"
            try files[0].text.write(toFile: built, atomically: true, encoding: .utf8)
            let app = "\(Self.firmware)/Apps/inference"
            let r = try runProcess(swiftc, ["-typecheck", "-parse-as-library", "-enable-experimental-feature", "Extern",
                                            "-I", modules, built, "\(app)/Inference.swift", "\(app)/ModelHeader.swift",
                                            "\(Self.firmware)/Support/Console.swift"])
            #expect(r.status == 0, "\(w): \(r.stderr)")
        }
    }

    // MARK: - Train runs

    @Test func trainRunsFromRunsEnv() throws {
        let runs = try TrainRuns(directory: "\(Self.firmware)/Apps/train")
        #expect(runs.runs.map(\.name) == ["xor", "digits"])
        let xor = runs.runs[0]
        #expect(xor.widths == [2, 3, 1] && xor.initializer == .gaussian(standardDeviation: 1) && xor.learningRate == 2)
        #expect(xor.trainArguments(dataDirectory: "D") == [
            "train", "--data", "D/xor.csv", "--layers", "2,3,1", "--activations", "sigmoid,sigmoid", "--loss", "quadratic",
            "--optimizer", "sgd", "--eta", "2", "--batch", "4", "--epochs", "1000", "--seed", "1", "--scale", "none",
            "--validation-split", "0", "--init", "gaussian"])
        #expect(!runs.runs[1].trainArguments(dataDirectory: "D").contains("--init"))
        let files = try runs.sources()
        #expect(files.map(\.name) == ["TrainRuns.swift", "train_data.c"])
        #expect(files[0].text.contains("    typealias Layer1 = Dense<64, 12>\n    typealias Layer2 = Dense<12, 10>\n"))
        #expect(files[0].text.contains("learningRate: 0x1p-1, batchSize: 10,"))
        #expect(files[0].text.contains("nonisolated(unsafe) var digitsOrder = InlineArray<200, Int32>(repeating: 0)"))
        // XOR's four rows and labels, known answer.
        #expect(files[1].text.contains("static const float xor_inputs[8] = {\n    0.0f, 0.0f,\n    0.0f, 1.0f,\n    1.0f, 0.0f,\n    1.0f, 1.0f,\n};"))
        #expect(files[1].text.contains("static const int32_t xor_labels[4] = {\n    0, 1, 1, 0,\n};"))
    }

    @Test func trainRunsBadFile() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "RUNS=\"A\"\nA_NAME=a\n".write(toFile: "\(dir)/runs.env", atomically: true, encoding: .utf8)
        do { _ = try TrainRuns(directory: dir); Issue.record("no error") } catch {
            #expect(error.description == "\(dir)/runs.env: A_LAYERS is not set")
        }
    }
}
